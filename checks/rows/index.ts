import type { Check } from '../types.ts';
import { apiCors } from './api-cors.ts';
import { browserUpload } from './browser-upload.ts';
import { bucketCors } from './bucket-cors.ts';
import { bucketPrivate } from './bucket-private.ts';
import { dashboard } from './dashboard.ts';
import { putPermission } from './put-permission.ts';
import { ticketFunctionRow } from './ticket-function.ts';
import { ticketScope } from './ticket-scope.ts';
import { uploadRoute } from './upload-route.ts';

/** The checklist, in the lab's order. */
export const rows: readonly Check[] = [
  apiCors,
  bucketCors,
  ticketFunctionRow,
  putPermission,
  uploadRoute,
  browserUpload,
  dashboard,
  bucketPrivate,
  ticketScope,
];
