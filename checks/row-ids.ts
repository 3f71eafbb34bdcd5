/** The row ids in lab order, without loading the rows (and the AWS SDK) — for usage checks and the lab page. */
export const ROW_IDS = [
  'api-cors',
  'bucket-cors',
  'ticket-function',
  'put-permission',
  'upload-route',
  'browser-upload',
  'dashboard',
  'bucket-private',
  'ticket-scope',
] as const;

export type RowId = (typeof ROW_IDS)[number];

/** The rows that drive Chromium: when a run includes one, the CLI starts the browser first. */
export const BROWSER_ROWS: readonly RowId[] = ['browser-upload', 'dashboard'];

/** Whether a run of `only` (all rows when absent) includes a browser row. */
export function wantsBrowser(only: readonly string[] | undefined): boolean {
  return !only || only.length === 0 || only.some((id) => (BROWSER_ROWS as readonly string[]).includes(id));
}
