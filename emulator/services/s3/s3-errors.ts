import { AwsError } from '../../core/aws-error.ts';

/**
 * S3's own error codes, messages verbatim.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
export const s3Errors = {
  noSuchBucket: (bucket: string) =>
    new AwsError('NoSuchBucket', 'The specified bucket does not exist', {
      status: 404,
      fields: { BucketName: bucket },
    }),
  noSuchKey: (key: string) =>
    new AwsError('NoSuchKey', 'The specified key does not exist.', { status: 404, fields: { Key: key } }),
  malformedXml: () =>
    new AwsError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
      { status: 400 },
    ),
  invalidArgument: (message: string, name: string, value = '') =>
    new AwsError('InvalidArgument', message, {
      status: 400,
      fields: { ArgumentName: name, ArgumentValue: value },
    }),
  invalidRequest: (message: string) => new AwsError('InvalidRequest', message, { status: 400 }),
  notImplemented: (header?: string) =>
    new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented', {
      status: 501,
      ...(header ? { fields: { Header: header } } : {}),
    }),
  methodNotAllowed: (method: string, resourceType: 'SERVICE' | 'BUCKET' | 'OBJECT') =>
    new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
      status: 405,
      fields: { Method: method, ResourceType: resourceType },
    }),
  invalidBucketName: (bucket: string) =>
    new AwsError('InvalidBucketName', 'The specified bucket is not valid.', {
      status: 400,
      fields: { BucketName: bucket },
    }),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new AwsError(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      { status: 409, fields: { BucketName: bucket } },
    ),
  bucketNotEmpty: (bucket: string) =>
    new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', {
      status: 409,
      fields: { BucketName: bucket },
    }),
  preconditionFailed: (condition: string) =>
    new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
      status: 412,
      fields: { Condition: condition },
    }),
  invalidRange: (range: string, size: number) =>
    new AwsError('InvalidRange', 'The requested range is not satisfiable', {
      status: 416,
      fields: { RangeRequested: range, ActualObjectSize: size },
    }),
  keyTooLong: (size: number) =>
    new AwsError('KeyTooLongError', 'Your key is too long', {
      status: 400,
      fields: { Size: size, MaxSizeAllowed: 1024 },
    }),
  badDigest: (message: string, fields: Record<string, string> = {}) =>
    new AwsError('BadDigest', message, { status: 400, fields }),
  invalidDigest: (digest: string) =>
    new AwsError('InvalidDigest', 'The Content-MD5 you specified was not valid.', {
      status: 400,
      fields: { 'Content-MD5': digest },
    }),
  sha256Mismatch: (client: string, computed: string) =>
    new AwsError(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      { status: 400, fields: { ClientComputedContentSHA256: client, S3ComputedContentSHA256: computed } },
    ),
  incompleteBody: () =>
    new AwsError(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
      {
        status: 400,
      },
    ),
  metadataTooLarge: (size: number) =>
    new AwsError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', {
      status: 400,
      fields: { Size: size, MaxSizeAllowed: 2048 },
    }),
  invalidStorageClass: (requested: string) =>
    new AwsError('InvalidStorageClass', 'The storage class you specified is not valid', {
      status: 400,
      fields: { StorageClassRequested: requested },
    }),
};

export const STORAGE_CLASSES = new Set([
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
]);
