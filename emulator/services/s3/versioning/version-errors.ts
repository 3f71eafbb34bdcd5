import { AwsError } from '../../../core/aws-error.ts';

/** S3's versioning errors, texts verbatim [§9.1, REC unless marked]. */
export const versionErrors = {
  invalidVersionId: (versionId: string) =>
    new AwsError('InvalidArgument', 'Invalid version id specified', {
      status: 400,
      fields: { ArgumentName: 'versionId', ArgumentValue: versionId },
    }),
  noSuchVersion: (key: string, versionId: string) =>
    new AwsError('NoSuchVersion', 'The specified version does not exist.', {
      status: 404,
      fields: { Key: key, VersionId: versionId },
    }),
  /** GET/HEAD of a delete marker by its version id. */
  deleteMarkerMethod: (method: string, versionId: string) =>
    new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
      status: 405,
      fields: { Method: method, ResourceType: 'DeleteMarker' },
      headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId, Allow: 'DELETE' },
    }),
  /** GET/HEAD of a key whose current version is a delete marker. */
  currentIsDeleteMarker: (key: string, versionId: string) =>
    new AwsError('NoSuchKey', 'The specified key does not exist.', {
      status: 404,
      fields: { Key: key },
      headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId },
    }),
  noVersioningElement: () =>
    new AwsError('IllegalVersioningConfigurationException', 'The Versioning element must be specified', {
      status: 400,
    }),
  /** [COMMUNITY cloudposse/terraform-aws-codebuild#76: 403 for MfaDelete without MFA]. */
  mfaRequired: () =>
    new AwsError('AccessDenied', 'Mfa Authentication must be used for this request', { status: 403 }),
  /** [COMMUNITY iterate-ch/cyberduck#16267] */
  invalidMfaHeader: (value: string) =>
    new AwsError(
      'InvalidArgument',
      'Mfa header is invalid -- the header should be formatted as {serialNumber}(space){tokenCode}',
      { status: 400, fields: { ArgumentName: 'x-amz-mfa', ArgumentValue: value } },
    ),
  /** UNVERIFIED: text and code for a version-id-marker without a key-marker. */
  versionMarkerWithoutKey: (value: string) =>
    new AwsError('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', {
      status: 400,
      fields: { ArgumentName: 'version-id-marker', ArgumentValue: value },
    }),
};
