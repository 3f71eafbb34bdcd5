/**
 * The IAM action of an object operation that names a version (`?versionId=`): AWS checks the
 * `*Version*` action instead of the plain one.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
const VERSION_ACTIONS: Record<string, string> = {
  's3:GetObject': 's3:GetObjectVersion',
  's3:DeleteObject': 's3:DeleteObjectVersion',
  's3:PutObjectTagging': 's3:PutObjectVersionTagging',
  's3:GetObjectTagging': 's3:GetObjectVersionTagging',
  's3:DeleteObjectTagging': 's3:DeleteObjectVersionTagging',
};

export const versionedAction = (action: string, query: { has(name: string): boolean }): string =>
  query.has('versionId') ? (VERSION_ACTIONS[action] ?? action) : action;
