import { AwsError } from '../../../core/aws-error.ts';
import { s3Errors } from '../s3-errors.ts';

/** S3's multipart errors, messages verbatim [§9.2 REC]. */
export const multipartErrors = {
  noSuchUpload: (uploadId: string) =>
    new AwsError(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { status: 404, fields: { UploadId: uploadId } },
    ),
  invalidPartNumber: (value: string) =>
    s3Errors.invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      value,
    ),
  noParts: () => s3Errors.invalidRequest('You must specify at least one part'),
  entityTooSmall: (size: number, partNumber: number, etag: string) =>
    new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
      status: 400,
      fields: {
        ProposedSize: String(size),
        MinSizeAllowed: String(MIN_PART_SIZE),
        PartNumber: String(partNumber),
        ETag: etag,
      },
    }),
  invalidPart: (uploadId: string, partNumber: number, etag: string) =>
    new AwsError(
      'InvalidPart',
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      { status: 400, fields: { UploadId: uploadId, PartNumber: String(partNumber), ETag: etag } },
    ),
  invalidPartOrder: (uploadId: string) =>
    new AwsError(
      'InvalidPartOrder',
      'The list of parts was not in ascending order. Parts must be ordered by part number.',
      { status: 400, fields: { UploadId: uploadId } },
    ),
  copyRangeSyntax: (value: string) =>
    s3Errors.invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      value,
    ),
  // UNVERIFIED: the ArgumentName / ArgumentValue of this one (the recorded message has no fields shown).
  copyRangeBeyondSize: (value: string, size: number) =>
    s3Errors.invalidArgument(
      `Range specified is not valid for source object of size: ${size}`,
      'x-amz-copy-source-range',
      value,
    ),
  copyRangeInvalid: () =>
    s3Errors.invalidRequest('The specified copy range is invalid for the source object size'),
  objectSizeMismatch: (given: string, computed: number) =>
    s3Errors.invalidRequest(
      `The provided 'x-amz-mp-object-size' header value ${given} does not match what was computed: ${computed}`,
    ),
  checksumTypeMismatch: (expected: string, actual: string) =>
    s3Errors.invalidRequest(
      `Checksum Type mismatch occurred, expected checksum Type: ${expected.toLowerCase()}, actual checksum Type: ${actual.toLowerCase()}`,
    ),
  missingPartChecksum: (algorithm: string, partNumber: number) =>
    s3Errors.invalidRequest(
      `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${partNumber} in the request.`,
    ),
  checksumModeMismatch: (mode: string) =>
    s3Errors.invalidRequest(
      `The upload was created using the ${mode} checksum mode. The complete request must use the same checksum mode.`,
    ),
};

/** Every part but the last must be at least 5 MiB [DOC qfacts]. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10_000;
