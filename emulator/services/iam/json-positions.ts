/** A place in a text: 1-based line and column. */
export interface TextPosition {
  line: number;
  column: number;
}

export interface Span {
  start: TextPosition;
  end: TextPosition;
}

/** A JSON value, and where each object and array of it sits in the text. */
export interface PositionedJson {
  value: unknown;
  spans: WeakMap<object, Span>;
}

// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export class JsonSyntaxError extends Error {}

/**
 * Parses JSON text like `JSON.parse` (duplicate keys: the last wins) and records the span of
 * every object and array, so that SimulatePrincipalPolicy can say where a matched statement
 * sits in the policy the user wrote. The start is the opening bracket, the end is just after
 * the closing one.
 */
export function parseJsonWithPositions(text: string): PositionedJson {
  const spans = new WeakMap<object, Span>();
  let i = 0;
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text[k] === '\n') lineStarts.push(k + 1);
  const positionOf = (offset: number): TextPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at ${i}`);
  };
  const skip = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (ch: string) => {
    skip();
    if (text[i] !== ch) fail(`expected ${ch}`);
    i++;
  };
  const str = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) return fail('bad string');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (depth: number): unknown => {
    if (depth > 64) fail('nested too deep');
    skip();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      skip();
      if (text[i] === '}') i++;
      else
        for (;;) {
          skip();
          if (text[i] !== '"') fail('expected key');
          const key = str();
          expect(':');
          const v = value(depth + 1);
          Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
          skip();
          if (text[i] === ',') i++;
          else if (text[i] === '}') {
            i++;
            break;
          } else fail('expected , or }');
        }
      spans.set(obj, { start: positionOf(start), end: positionOf(i) });
      return obj;
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      skip();
      if (text[i] === ']') i++;
      else
        for (;;) {
          arr.push(value(depth + 1));
          skip();
          if (text[i] === ',') i++;
          else if (text[i] === ']') {
            i++;
            break;
          } else fail('expected , or ]');
        }
      spans.set(arr, { start: positionOf(start), end: positionOf(i) });
      return arr;
    }
    if (c === '"') return str();
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(text);
    if (!m) return fail('unexpected token');
    i += m[0].length;
    return JSON.parse(m[0]) as unknown;
  };
  const result = value(0);
  skip();
  if (i !== text.length) fail('trailing text');
  return { value: result, spans };
}
