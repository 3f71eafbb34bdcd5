import type { RawOutcome } from './raw-http.ts';

/** The error documents AWS writes: S3's `<Error>`, Query's `<ErrorResponse>`, REST-JSON, HTTP API. */
export type ErrorShape = 'rest-xml' | 'query' | 'rest-json' | 'gateway';

export interface Verdict {
  status: number;
  /** The AWS error code (`MalformedXML`), `OK` for a success, or what went wrong on the wire. */
  code: string;
  shape?: ErrorShape;
  /** Set when the answer is not acceptable: a drop, a 5xx AWS would not send, a malformed error. */
  problem?: string;
}

/** S3's answers to HTTP it cannot parse, whichever service the request was meant for. */
const FRONT_DOOR = new Set(['BadRequest', 'RequestHeaderSectionTooLarge', 'IncompleteBody']);

/** 5xx answers AWS itself gives to client requests: a feature it does not implement. */
const AWS_5XX = new Set(['501 NotImplemented', '501 HEAD 501']);

/**
 * Judges one answer to a malformed request: it must be a complete HTTP response; a success is
 * fine (the mutation happened to be valid); an error must be a well-formed AWS error document
 * of one of `expected` shapes, 4xx, or a 5xx AWS sends too.
 */
export function judge(outcome: RawOutcome, method: string, expected: readonly ErrorShape[]): Verdict {
  if (outcome.kind === 'abandoned') return { status: 0, code: 'abandoned' };
  if (outcome.kind === 'dropped')
    return { status: 0, code: 'dropped', problem: `no response: ${outcome.error}` };
  const { status, headers, body } = outcome;
  if (status < 400) return { status, code: 'OK' };
  const text = body.toString('utf8');
  const parsed = readError(status, headers, text, method, expected);
  if (!parsed)
    return { status, code: '?', problem: `not an AWS error document: ${status} ${text.slice(0, 300)}` };
  const verdict: Verdict = { status, code: parsed.code, shape: parsed.shape };
  // An HTTP message nobody could parse is answered at the front door, before any service.
  const frontDoor = parsed.shape === 'rest-xml' && FRONT_DOOR.has(parsed.code);
  if (!expected.includes(parsed.shape) && !frontDoor)
    verdict.problem = `${parsed.shape} error where ${expected.join('/')} was expected: ${text.slice(0, 200)}`;
  else if (status >= 500 && !AWS_5XX.has(`${status} ${parsed.code}`))
    verdict.problem = `${status} ${parsed.code} for a client mistake: ${text.slice(0, 300)}`;
  return verdict;
}

function readError(
  status: number,
  headers: Record<string, string>,
  text: string,
  method: string,
  expected: readonly ErrorShape[],
): { shape: ErrorShape; code: string } | undefined {
  const type = headers['content-type'] ?? '';
  if (method === 'HEAD') {
    // A HEAD error has no body: the status and the service's request id header say it all.
    if (headers['x-amz-request-id']) return { shape: 'rest-xml', code: `HEAD ${status}` };
    if (headers['x-amzn-errortype']) return { shape: 'rest-json', code: headers['x-amzn-errortype'] };
    if (headers['x-amzn-requestid'])
      return { shape: expected.includes('query') ? 'query' : 'rest-json', code: `HEAD ${status}` };
    if (headers['apigw-requestid']) return { shape: 'gateway', code: `HEAD ${status}` };
    return undefined;
  }
  if (/xml/.test(type)) {
    const code = /<Code>([A-Za-z0-9.]+)<\/Code>/.exec(text)?.[1];
    if (!code || !/<Message>[^<]*<\/Message>/.test(text) || !/<RequestId>[^<]+<\/RequestId>/.test(text))
      return undefined;
    if (/^<\?xml[^>]*>\s*<ErrorResponse[\s>]/.test(text)) {
      const type4xx = /<Type>(Sender|Receiver)<\/Type>/.exec(text)?.[1];
      if (type4xx !== (status >= 500 ? 'Receiver' : 'Sender')) return undefined;
      return { shape: 'query', code };
    }
    if (/^<\?xml[^>]*>\s*<Error>/.test(text)) return { shape: 'rest-xml', code };
    return undefined;
  }
  if (/json/.test(type)) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const fields = body as Record<string, unknown>;
    const errorType = headers['x-amzn-errortype'];
    if (errorType) {
      const message = fields['message'] ?? fields['Message'];
      return typeof message === 'string' ? { shape: 'rest-json', code: errorType.split(':')[0]! } : undefined;
    }
    if (headers['apigw-requestid'] && typeof fields['message'] === 'string')
      return { shape: 'gateway', code: fields['message'] };
  }
  return undefined;
}
