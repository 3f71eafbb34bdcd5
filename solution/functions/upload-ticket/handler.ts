import { randomUUID } from 'node:crypto';
import { bodyText, failureResult, jsonResult } from '../lib/http.ts';
import type { HttpApiEvent, HttpApiResult } from '../lib/http.ts';
import { s3ClientCache } from '../lib/s3-client.ts';
import { ticketConfig } from './config.ts';
import type { TicketConfig } from './config.ts';
import { presignUpload } from './presign.ts';
import { parseTicketRequest, planTicket } from './ticket.ts';

/** `POST /upload-url` answer body (docs/contracts.md). */
export interface TicketResponse {
  upload: { url: string; fields: Record<string, string> };
  object_key: string;
  bucket: string;
  expires_in: number;
  max_bytes: number;
}

export type TicketHandler = (event: HttpApiEvent | null | undefined) => Promise<HttpApiResult>;

/**
 * Builds the handler around a configuration source, so tests can pass their own. The S3 client
 * is made once per configuration, not per request.
 */
export function createTicketHandler(loadConfig: () => TicketConfig): TicketHandler {
  const clientFor = s3ClientCache();
  return async (event) => {
    try {
      const config = loadConfig();
      const request = parseTicketRequest(bodyText(event), config);
      const plan = planTicket(request, config, randomUUID());
      const upload = await presignUpload(clientFor(config), plan);
      const response: TicketResponse = {
        upload,
        object_key: plan.key,
        bucket: plan.bucket,
        expires_in: plan.expiresSeconds,
        max_bytes: plan.maxBytes,
      };
      console.log(
        JSON.stringify({ msg: 'ticket issued', key: plan.key, contentType: plan.contentType ?? null }),
      );
      return jsonResult(200, response);
    } catch (err) {
      return failureResult(err, 'upload-ticket');
    }
  };
}

/** The Lambda entry point (`index.handler` after bundling). */
export const handler: TicketHandler = createTicketHandler(ticketConfig);
