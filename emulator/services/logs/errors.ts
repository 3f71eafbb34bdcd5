import { AwsError } from '../../core/aws-error.ts';

/**
 * CloudWatch Logs' errors, in AWS's words (aws-behavior.md §10). All are HTTP 400 with a JSON body
 * `{"__type", "message"}`; the bare `__type` form is UNVERIFIED (botocore accepts both).
 */
export const logsErrors = {
  groupNotFound: () => notFound('The specified log group does not exist.'),
  streamNotFound: () => notFound('The specified log stream does not exist.'),
  groupExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  streamExists: () =>
    new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists'),
  invalid: (message: string) => new AwsError('InvalidParameterException', message),
  notChronological: () =>
    invalidParameter('Log events in a single PutLogEvents request must be in chronological order.'),
  // UNVERIFIED: wording of the 24-hour span rule (the limit itself is in the PutLogEvents page).
  spanTooLong: () =>
    invalidParameter(
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    ),
  // UNVERIFIED: wording of the batch-size rule (limits from the PutLogEvents page).
  batchTooLarge: (bytes: number) =>
    invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of 1048576`),
  badToken: () => invalidParameter('The specified nextToken is invalid.'),
  nameTooLong: () =>
    invalidParameter('Invalid LogGroup or LogStream, both must have length less than or equal to 512.'),
  prefixAndPattern: () =>
    invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.'),
  nameAndIdentifier: () =>
    new AwsError('ValidationException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.'),
  // UNVERIFIED: the text when neither logGroupName nor logGroupIdentifier is given.
  noGroup: () => invalidParameter('Should provide either name or arn of a log group.'),
  // UNVERIFIED: the text for LastEventTime ordering with a stream name prefix.
  orderWithPrefix: () => invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.'),
  // UNVERIFIED: the text for logStreamNames together with logStreamNamePrefix.
  namesAndPrefix: () =>
    invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.'),
  /** One Coral validation finding: `1 validation error detected: Value '<v>' at '<member>' failed to satisfy constraint: <rule>`. */
  validation: (value: unknown, member: string, rule: string) =>
    invalidParameter(
      `1 validation error detected: Value ${value === null ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: ${rule}`,
    ),
  // UNVERIFIED: the text AWS gives a member of the wrong JSON type (botocore never sends one).
  serialization: (member: string) =>
    new AwsError('SerializationException', `Unexpected value type for member '${member}'`),
  // UNVERIFIED: the message AWS gives a filter pattern it cannot parse.
  invalidPattern: () => invalidParameter('Invalid filter pattern'),
  unknownOperation: () => new AwsError('UnknownOperationException', ''),
};

function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message);
}

function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}
