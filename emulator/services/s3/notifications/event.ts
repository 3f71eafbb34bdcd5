import type { Principal } from '../../../auth/principal.ts';
import type { ObjectMeta } from '../model/types.ts';

/** The bucket owner's id in events; its format on AWS is UNVERIFIED. */
export const OWNER_PRINCIPAL_ID = 'A3NL1KOZZKEXAMPLE';

/**
 * A key as S3 writes it in events: form-URL-encoded like Python's `quote_plus(key, safe='/')`
 * [§3.2: `a@b` → `a%40b`, space → `+`, `/` kept]. Other reserved characters are UNVERIFIED.
 */
export function eventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

/** `AWS:<userId>` of whoever created the object; the format is UNVERIFIED. */
export function principalId(principal: Principal): string {
  return principal.type === 'anonymous' ? 'Anonymous' : `AWS:${principal.userId}`;
}

let lastSequencer = 0n;

/** Increasing hex sequencer (S3 only promises ordering per key; ours is global). */
export function nextSequencer(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  lastSequencer = now > lastSequencer ? now : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

export interface EventInput {
  eventName: string;
  region: string;
  bucket: string;
  configurationId: string;
  meta: Pick<ObjectMeta, 'key' | 'size' | 'etag' | 'versionId'>;
  principal: Principal;
  sourceIp: string;
  requestId: string;
  hostId: string;
  sequencer: string;
}

/**
 * One S3 event record, shaped as recorded from AWS [§3.2]: eventName without `s3:`, eTag
 * unquoted, size a number, no versionId for unversioned buckets (a versioned one's comes after eTag).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function s3Event(input: EventInput): { Records: unknown[] } {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: input.region,
        eventTime: new Date().toISOString(),
        eventName: input.eventName,
        userIdentity: { principalId: principalId(input.principal) },
        requestParameters: { sourceIPAddress: input.sourceIp },
        responseElements: { 'x-amz-request-id': input.requestId, 'x-amz-id-2': input.hostId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: input.configurationId,
          bucket: {
            name: input.bucket,
            ownerIdentity: { principalId: OWNER_PRINCIPAL_ID },
            arn: `arn:aws:s3:::${input.bucket}`,
          },
          object: {
            key: eventKey(input.meta.key),
            size: input.meta.size,
            eTag: input.meta.etag,
            ...(input.meta.versionId ? { versionId: input.meta.versionId } : {}),
            sequencer: input.sequencer,
          },
        },
      },
    ],
  };
}
