/**
 * Parses a raw query string the way AWS reads it for signing: `&`-separated pairs,
 * percent-decoded, a key without `=` has the value "", and `+` is kept literally
 * (SigV4 clients encode a space as `%20`).
 */
export function parseQuery(raw: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (!raw) return pairs;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([safeDecode(key), safeDecode(value)]);
  }
  return pairs;
}

/** Decodes percent-escapes, leaving a malformed escape as it is instead of throwing. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** Decodes an `application/x-www-form-urlencoded` body (here `+` is a space). */
export function parseForm(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of parseQuery(body.replace(/\+/g, '%20'))) if (!out.has(k)) out.set(k, v);
  return out;
}
