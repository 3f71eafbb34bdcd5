import { Hash } from '@smithy/hash-node';
import { getSigningKey } from '@smithy/signature-v4';

/** Enough for every key, day and region a lab session signs with. */
const MAX_KEYS = 64;
const keys = new Map<string, Promise<Uint8Array>>();

/**
 * The SigV4 signing key for a secret, day (`yyyymmdd`), region and service, derived by
 * `@smithy/signature-v4` and kept, as the SDKs keep it: it depends on nothing else, so a POST
 * policy signature costs one HMAC instead of five. The oldest entry goes first when full.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key
 */
export function signingKey(
  accessKeyId: string,
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Promise<Uint8Array> {
  const id = JSON.stringify([accessKeyId, secretAccessKey, date, region, service]);
  let key = keys.get(id);
  if (!key) {
    key = getSigningKey(Hash.bind(null, 'sha256'), { accessKeyId, secretAccessKey }, date, region, service);
    key.catch(() => keys.delete(id));
    keys.set(id, key);
    if (keys.size > MAX_KEYS) keys.delete(keys.keys().next().value!);
  }
  return key;
}
