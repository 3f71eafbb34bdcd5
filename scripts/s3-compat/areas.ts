/**
 * The areas of ceph/s3-tests the runner knows, each a pytest `-k` expression over test
 * function names (in `s3tests/functional/test_s3.py` and `test_headers.py`).
 */
export const AREAS: Record<string, string> = {
  'post-object': 'post_object',
  cors: 'cors',
  'presigned-expiry': 'x_amz_expires or presigned or authenticated_expired or raw_get or raw_put',
  listing: 'bucket_list or listv2 or list_buckets or list_objects',
  versioning: 'versioning or versioned or versions',
  tagging: 'tagging or tags',
  acl: 'acl',
  'bucket-policy': 'bucket_policy or policy_',
  encryption: 'encryption or sse',
  checksum: 'checksum',
  multipart: 'multipart',
};

export const AREA_NAMES = Object.keys(AREAS);

/** The files of the suite the areas select from. */
export const SUITE_FILES = ['s3tests/functional/test_s3.py', 's3tests/functional/test_headers.py'];
