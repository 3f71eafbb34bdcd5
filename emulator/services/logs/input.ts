import { logsErrors } from './errors.ts';

/** A request's JSON members, read with the types and constraints of the Logs model (botocore `logs` 2014-03-28). */
export class Input {
  constructor(private readonly body: Record<string, unknown>) {}

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  string(name: string): string | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw logsErrors.serialization(name);
    return v;
  }

  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw logsErrors.validation(null, name, 'Member must not be null');
    return v;
  }

  integer(name: string, min?: number, max?: number): number | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw logsErrors.serialization(name);
    if (min !== undefined && v < min)
      throw logsErrors.validation(v, name, `Member must have value greater than or equal to ${min}`);
    if (max !== undefined && v > max)
      throw logsErrors.validation(v, name, `Member must have value less than or equal to ${max}`);
    return v;
  }

  boolean(name: string): boolean | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw logsErrors.serialization(name);
    return v;
  }

  stringList(name: string): string[] | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw logsErrors.serialization(name);
    return v as string[];
  }

  list(name: string): unknown[] | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) throw logsErrors.serialization(name);
    return v;
  }
}

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const GROUP_PATTERN = /^[.\-_/#A-Za-z0-9]*$/;
const STREAM_NAME = /^[^:*]*$/;

/** `logGroupName`: 1–512 of `[\.\-_/#A-Za-z0-9]`. */
export function checkGroupName(name: string, member = 'logGroupName'): string {
  if (name.length > 512) throw logsErrors.nameTooLong();
  if (name.length < 1)
    throw logsErrors.validation(name, member, 'Member must have length greater than or equal to 1');
  if (!GROUP_NAME.test(name))
    throw logsErrors.validation(
      name,
      member,
      'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
    );
  return name;
}

/** `logStreamName`: 1–512 characters, no `:` or `*`. */
export function checkStreamName(name: string, member = 'logStreamName'): string {
  if (name.length > 512) throw logsErrors.nameTooLong();
  if (name.length < 1)
    throw logsErrors.validation(name, member, 'Member must have length greater than or equal to 1');
  if (!STREAM_NAME.test(name))
    throw logsErrors.validation(name, member, 'Member must satisfy regular expression pattern: [^:*]*');
  return name;
}

export function checkGroupPattern(pattern: string, member: string): string {
  if (pattern.length > 512)
    throw logsErrors.validation(pattern, member, 'Member must have length less than or equal to 512');
  if (!GROUP_PATTERN.test(pattern))
    throw logsErrors.validation(
      pattern,
      member,
      'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]*',
    );
  return pattern;
}

/** A group named by `logGroupName` or by `logGroupIdentifier` (a name or an ARN, with or without `:*`). */
export function groupOf(input: Input, required = true): string | undefined {
  const name = input.string('logGroupName');
  const identifier = input.string('logGroupIdentifier');
  if (name !== undefined && identifier !== undefined) throw logsErrors.nameAndIdentifier();
  if (name !== undefined) return checkGroupName(name);
  if (identifier !== undefined) {
    const arn = /^arn:aws[a-z-]*:logs:[^:]*:\d{12}:log-group:([^:]+)(:\*)?$/.exec(identifier);
    return checkGroupName(arn ? arn[1]! : identifier, 'logGroupIdentifier');
  }
  if (required) throw logsErrors.noGroup();
  return undefined;
}
