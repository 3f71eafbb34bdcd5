/** `a`, `b` and `c` — values quoted the way the hints show them; "none" for an empty list. */
export function list(values: readonly string[] | undefined, none = 'none'): string {
  if (!values || values.length === 0) return none;
  return values.map(code).join(', ');
}

export function code(value: string | number): string {
  return `\`${value}\``;
}
