import { AwsError } from '../../../core/aws-error.ts';

/** S3's access-control errors, texts verbatim [§8]. */
export const accessErrors = {
  aclNotSupported: () =>
    new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', { status: 400 }),
  aclWithOwnership: () =>
    new AwsError(
      'InvalidBucketAclWithObjectOwnership',
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
      { status: 400 },
    ),
  /** BlockPublicAcls refusing a public ACL: plain "Access Denied" [COMMUNITY jenkinsci/pipeline-aws-plugin#183]. */
  publicAclBlocked: () => new AwsError('AccessDenied', 'Access Denied', { status: 403 }),
  publicPolicyBlocked: (callerArn: string, bucket: string) =>
    new AwsError(
      'AccessDenied',
      `User: ${callerArn} is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
      { status: 403 },
    ),
  noSuchBucketPolicy: (bucket: string) =>
    new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', {
      status: 404,
      fields: { BucketName: bucket },
    }),
  ownershipNotFound: (bucket: string) =>
    new AwsError('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', {
      status: 404,
      fields: { BucketName: bucket },
    }),
  invalidOwnershipHeader: (value: string) =>
    new AwsError('InvalidArgument', `Invalid x-amz-object-ownership header: ${value}`, {
      status: 400,
      fields: { ArgumentName: 'x-amz-object-ownership' },
    }),
  bothCannedAndGrants: () =>
    new AwsError('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed', {
      status: 400,
    }),
  unexpectedContent: () =>
    new AwsError('UnexpectedContent', 'This request does not support content', { status: 400 }),
  missingAclHeader: () =>
    new AwsError('MissingSecurityHeader', 'Your request was missing a required header', {
      status: 400,
      fields: { MissingHeaderName: 'x-amz-acl' },
    }),
};
