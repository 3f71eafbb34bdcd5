import { logsErrors } from './errors.ts';
import { jsonPattern, type Matcher } from './json-pattern.ts';

export type { Matcher } from './json-pattern.ts';

/**
 * Compiles a `filterPattern` as CloudWatch Logs reads one: empty matches everything; `{ … }` is a
 * JSON pattern; otherwise terms, all required (case-sensitive substrings), `"quoted phrases"`,
 * `?term` (at least one of them), `-term` (none of them), `%regex%`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export function compileFilterPattern(pattern: string | undefined): Matcher {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return jsonPattern(text);
  // UNVERIFIED: space-delimited patterns (`[ip, user, …]`) are not emulated; refused as invalid.
  if (text.startsWith('[')) throw invalidPattern();
  const all: Matcher[] = [];
  const any: Matcher[] = [];
  const none: Matcher[] = [];
  for (const raw of terms(text)) {
    const kind = raw.quoted ? '' : raw.text[0];
    const body = kind === '?' || kind === '-' ? unquote(raw.text.slice(1)) : raw;
    if (body.text === '') throw invalidPattern();
    const match = termMatcher(body.text, body.quoted);
    if (kind === '?') any.push(match);
    else if (kind === '-') none.push(match);
    else all.push(match);
  }
  return (message) =>
    all.every((m) => m(message)) &&
    !none.some((m) => m(message)) &&
    (any.length === 0 || any.some((m) => m(message)));
}

interface Term {
  text: string;
  quoted: boolean;
}

/** Splits on spaces outside double quotes; `?"a b"` and `-"a b"` keep their sign. */
function terms(text: string): Term[] {
  const out: Term[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length) break;
    let j = i;
    // A %regex% is one term, spaces included.
    if (text[i] === '%' && text.indexOf('%', i + 1) !== -1) {
      j = text.indexOf('%', i + 1) + 1;
      out.push({ text: text.slice(i, j), quoted: false });
      i = j;
      continue;
    }
    while (j < text.length && text[j] !== ' ' && text[j] !== '\t') {
      if (text[j] === '"') {
        j++;
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        if (j >= text.length) throw invalidPattern();
      }
      j++;
    }
    const raw = text.slice(i, j);
    out.push(raw.startsWith('"') ? unquote(raw) : { text: raw, quoted: false });
    i = j;
  }
  return out;
}

function unquote(raw: string): Term {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"'))
    return { text: raw.slice(1, -1).replace(/\\(.)/g, '$1'), quoted: true };
  return { text: raw, quoted: false };
}

function termMatcher(text: string, quoted: boolean): Matcher {
  if (!quoted && text.length > 2 && text.startsWith('%') && text.endsWith('%')) {
    let re: RegExp;
    try {
      re = new RegExp(text.slice(1, -1));
    } catch {
      throw invalidPattern();
    }
    return (m) => re.test(m);
  }
  return (m) => m.includes(text);
}

const invalidPattern = logsErrors.invalidPattern;
