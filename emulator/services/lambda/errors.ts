import { AwsError } from '../../core/aws-error.ts';

/** The error codes Lambda writes with a lower-case `message` member and no `Type` (Coral model validation). */
const MODEL_VALIDATION = new Set(['ValidationException', 'SerializationException']);

/** Lambda's REST-JSON error body: `{"Type":"User","Message":…}`, or `{"message":…}` for model validation. */
export function lambdaErrorBody(err: AwsError): Record<string, unknown> {
  // UNVERIFIED: the `message` spelling of ValidationException bodies is from SDK parsing, not a recording.
  if (MODEL_VALIDATION.has(err.code)) return { message: err.message };
  return { Type: err.status >= 500 ? 'Service' : 'User', Message: err.message };
}

const user = (code: string, message: string, status: number) => new AwsError(code, message, { status });

/** The messages Lambda answers with, verbatim (aws-behavior.md §5). */
export const lambdaErrors = {
  functionNotFound: (arn: string) => user('ResourceNotFoundException', `Function not found: ${arn}`, 404),
  functionExists: (name: string) => user('ResourceConflictException', `Function already exist: ${name}`, 409),
  notFound: () => user('ResourceNotFoundException', 'The resource you requested does not exist.', 404),
  regionUnreachable: (arnRegion: string, region: string) =>
    user(
      'ResourceNotFoundException',
      `Functions from '${arnRegion}' are not reachable in this region ('${region}')`,
      404,
    ),
  noPolicy: () => user('ResourceNotFoundException', 'No policy is associated with the given resource.', 404),
  statementNotFound: (sid: string) =>
    user('ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`, 404),
  statementExists: (sid: string) =>
    user(
      'ResourceConflictException',
      `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
      409,
    ),
  invalidPrincipal: () =>
    user(
      'InvalidParameterValueException',
      'The provided principal was invalid. Please check the principal and try again.',
      400,
    ),
  invalidParameter: (message: string) => user('InvalidParameterValueException', message, 400),
  roleCannotBeAssumed: () =>
    user(
      'InvalidParameterValueException',
      'The role defined for the function cannot be assumed by Lambda.',
      400,
    ),
  /** One or more `Value … at '…' failed to satisfy constraint: …` findings. */
  validation: (findings: string[]) =>
    user(
      'ValidationException',
      `${findings.length} validation error${findings.length > 1 ? 's' : ''} detected: ${findings.join('; ')}`,
      400,
    ),
  notActive: (state: string) =>
    user(
      'ResourceConflictException',
      `The operation cannot be performed at this time. The function is currently in the following state: ${state}`,
      409,
    ),
  /** Update* while the function is still being created (§11.2, from a captured answer). */
  pendingResource: (arn: string) =>
    user(
      'ResourceConflictException',
      `The operation cannot be performed at this time. The resource ${arn} is currently in the following state: 'Pending'. StateReasonCode: 'Creating'`,
      409,
    ),
  updateInProgress: (arn: string) =>
    user(
      'ResourceConflictException',
      `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`,
      409,
    ),
  revisionMismatch: () =>
    user(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      412,
    ),
  policyRevisionMismatch: () =>
    user(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id',
      412,
    ),
  requestTooLarge: (limit: number, operation: string) =>
    user(
      'RequestEntityTooLargeException',
      `Request must be smaller than ${limit} bytes for the ${operation} operation`,
      413,
    ),
  invalidJsonPayload: () =>
    // UNVERIFIED: AWS appends the JSON parser's own diagnostic after this prefix.
    user(
      'InvalidRequestContentException',
      'Could not parse request body into json: Could not parse payload into json: Unexpected character: was expecting a JSON value',
      400,
    ),
  unknownOperation: (method: string, path: string) =>
    user('UnknownOperationException', `The local AWS does not emulate Lambda's ${method} ${path}.`, 404),
};
