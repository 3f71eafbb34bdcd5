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
