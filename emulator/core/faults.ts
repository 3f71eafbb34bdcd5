import { AwsError } from './aws-error.ts';

/**
 * Fault injection for reliability tests; off unless `EMULATOR_FAULTS` is set. The value is a
 * comma list of `throttle:<service>.<Operation>[:<rate>]` rules, e.g.
 * `EMULATOR_FAULTS=throttle:lambda.Invoke:1.0,throttle:s3.*:0.2`: a matching request (`*` matches
 * any run of characters) is answered, with probability `rate` (default 1), by that service's own
 * throttling error instead of running. Read on every request, so a test may switch it on and off.
 */
export interface FaultRule {
  kind: 'throttle';
  /** `<service>.<Operation>` pattern as given, e.g. `lambda.Invoke`. */
  target: string;
  rate: number;
}

let parsed: { spec: string; rules: FaultRule[] } | undefined;

/** Parses an `EMULATOR_FAULTS` value; throws with what is wrong. */
export function parseFaults(spec: string): FaultRule[] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [kind, target, rateText, ...rest] = part.split(':');
      const rate = rateText === undefined ? 1 : Number(rateText);
      if (kind !== 'throttle' || !target || !/^[a-z0-9*-]+\.[A-Za-z0-9*]+$/.test(target) || rest.length > 0)
        throw new Error(`"${part}" is not throttle:<service>.<Operation>[:<rate>]`);
      if (!(rate >= 0 && rate <= 1)) throw new Error(`"${part}": the rate must be a number from 0 to 1`);
      return { kind, target, rate };
    });
}

const matches = (pattern: string, name: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);

/** The fault to answer `<service>.<operation>` with now, if `EMULATOR_FAULTS` asks for one. */
export function injectedFault(
  service: string,
  operation: string,
  spec = process.env['EMULATOR_FAULTS'] ?? '',
): AwsError | undefined {
  if (spec === '') return undefined;
  if (parsed?.spec !== spec) {
    try {
      parsed = { spec, rules: parseFaults(spec) };
    } catch (err) {
      return new AwsError('InternalFailure', `EMULATOR_FAULTS is malformed: ${(err as Error).message}.`, {
        status: 500,
      });
    }
  }
  const name = `${service}.${operation}`;
  const rule = parsed.rules.find((r) => matches(r.target, name));
  if (!rule || Math.random() >= rule.rate) return undefined;
  return throttlingError(service);
}

/** Each service's own words for "slow down". */
function throttlingError(service: string): AwsError {
  switch (service) {
    case 's3':
      return new AwsError('SlowDown', 'Please reduce your request rate.', { status: 503 });
    case 'lambda':
      return new AwsError('TooManyRequestsException', 'Rate Exceeded.', {
        status: 429,
        fields: { Reason: 'CallerRateLimitExceeded', Type: 'User' },
      });
    case 'apigatewayv2':
      return new AwsError('TooManyRequestsException', 'Too Many Requests', { status: 429 });
    default:
      return new AwsError('Throttling', 'Rate exceeded', { status: 400 });
  }
}
