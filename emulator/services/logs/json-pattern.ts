import { logsErrors } from './errors.ts';

/** Whether a message matches; built once per request. */
export type Matcher = (message: string) => boolean;

const invalidPattern = logsErrors.invalidPattern;

type Test = (doc: unknown) => boolean;

/**
 * A JSON filter pattern: `{ $.a.b = "x" && ($.n > 3 || $.ok IS TRUE) }`, with `=`/`!=` on strings
 * (`*` wildcards) and numbers, `<`, `>`, `<=`, `>=` on numbers, `IS NULL`, `IS TRUE`, `IS FALSE`,
 * `NOT EXISTS`. A message that is not a JSON object never matches.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events
 */
export function jsonPattern(text: string): Matcher {
  if (!text.endsWith('}')) throw invalidPattern();
  const parser = new Parser(text.slice(1, -1));
  const test = parser.expression();
  parser.end();
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return typeof doc === 'object' && doc !== null && test(doc);
  };
}

class Parser {
  private at = 0;
  constructor(private readonly s: string) {}

  expression(): Test {
    const parts = [this.conjunction()];
    while (this.eat('||')) parts.push(this.conjunction());
    return parts.length === 1 ? parts[0]! : (d) => parts.some((p) => p(d));
  }

  end(): void {
    this.space();
    if (this.at !== this.s.length) throw invalidPattern();
  }

  private conjunction(): Test {
    const parts = [this.primary()];
    while (this.eat('&&')) parts.push(this.primary());
    return parts.length === 1 ? parts[0]! : (d) => parts.every((p) => p(d));
  }

  private primary(): Test {
    if (this.eat('(')) {
      const inner = this.expression();
      if (!this.eat(')')) throw invalidPattern();
      return inner;
    }
    const path = this.selector();
    const get = (d: unknown) => select(d, path);
    if (this.eat('IS')) {
      if (this.eat('NULL')) return (d) => get(d) === null;
      if (this.eat('TRUE')) return (d) => get(d) === true;
      if (this.eat('FALSE')) return (d) => get(d) === false;
      throw invalidPattern();
    }
    if (this.eat('NOT')) {
      if (this.eat('EXISTS')) return (d) => get(d) === undefined;
      throw invalidPattern();
    }
    const op = ['!=', '<=', '>=', '=', '<', '>'].find((o) => this.eat(o));
    if (!op) throw invalidPattern();
    const { value, quoted } = this.value();
    const number = !quoted && value !== '' && !Number.isNaN(Number(value)) ? Number(value) : undefined;
    if (op === '=' || op === '!=') {
      const equal = (v: unknown) =>
        number !== undefined && typeof v === 'number' ? v === number : matchesString(v, value);
      return op === '=' ? (d) => equal(get(d)) : (d) => get(d) !== undefined && !equal(get(d));
    }
    if (number === undefined) throw invalidPattern();
    const compare: Record<string, (a: number) => boolean> = {
      '<': (a) => a < number,
      '>': (a) => a > number,
      '<=': (a) => a <= number,
      '>=': (a) => a >= number,
    };
    return (d) => {
      const v = get(d);
      return typeof v === 'number' && compare[op]!(v);
    };
  }

  private selector(): Array<string | number> {
    this.space();
    if (this.s[this.at] !== '$') throw invalidPattern();
    this.at++;
    const path: Array<string | number> = [];
    for (;;) {
      const rest = this.s.slice(this.at);
      const field = /^\.([A-Za-z0-9_\-@]+)/.exec(rest);
      const index = /^\[(\d+)\]/.exec(rest);
      if (field) path.push(field[1]!);
      else if (index) path.push(Number(index[1]));
      else return path;
      this.at += (field ?? index)![0].length;
    }
  }

  private value(): { value: string; quoted: boolean } {
    this.space();
    if (this.s[this.at] === '"') {
      let j = this.at + 1;
      let out = '';
      while (j < this.s.length && this.s[j] !== '"') {
        if (this.s[j] === '\\') j++;
        out += this.s[j] ?? '';
        j++;
      }
      if (j >= this.s.length) throw invalidPattern();
      this.at = j + 1;
      return { value: out, quoted: true };
    }
    const bare = /^[^\s()&|]+/.exec(this.s.slice(this.at));
    if (!bare) throw invalidPattern();
    this.at += bare[0].length;
    return { value: bare[0], quoted: false };
  }

  private eat(token: string): boolean {
    this.space();
    if (!this.s.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  private space(): void {
    while (this.at < this.s.length && /\s/.test(this.s[this.at]!)) this.at++;
  }
}

function select(doc: unknown, path: Array<string | number>): unknown {
  let v: unknown = doc;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** String equality with `*` as a wildcard (numbers and booleans compare by their text). */
function matchesString(v: unknown, pattern: string): boolean {
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false;
  const text = String(v);
  if (!pattern.includes('*')) return text === pattern;
  const re = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 's');
  return re.test(text);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
