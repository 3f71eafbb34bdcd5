/** One CORS rule as S3 stores and returns it (values exactly as sent). */
export interface CorsRule {
  ID?: string;
  AllowedHeaders: string[];
  AllowedMethods: string[];
  AllowedOrigins: string[];
  ExposeHeaders: string[];
  MaxAgeSeconds?: number;
}

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface FilterRule {
  /** Normalised as S3 returns it. */
  Name: 'Prefix' | 'Suffix';
  Value: string;
}

/** A `LambdaFunctionConfiguration` (XML `CloudFunctionConfiguration`). */
export interface LambdaNotification {
  Id: string;
  LambdaFunctionArn: string;
  Events: string[];
  FilterRules: FilterRule[];
}

export interface NotificationConfig {
  lambda: LambdaNotification[];
  eventBridge: boolean;
}

export interface BucketRecord {
  name: string;
  region: string;
  /** ISO-8601 */
  createdAt: string;
  tags?: Tag[];
  cors?: CorsRule[];
  publicAccessBlock?: PublicAccessBlock;
  notification?: NotificationConfig;
  /** Absent until versioning is first configured; a bucket never returns to unversioned. */
  versioning?: 'Enabled' | 'Suspended';
  /** The bucket policy, as sent (JSON text). */
  policy?: string;
  /** Object Ownership; absent: no ownership controls (ACLs enabled, as ObjectWriter). */
  ownership?: ObjectOwnership;
  /** The bucket ACL; absent: private (the owner's FULL_CONTROL). */
  acl?: Acl;
  /** Default encryption (PutBucketEncryption); absent = SSE-S3. */
  encryption?: EncryptionRule;
}

export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

export type Permission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';

/** One ACL grant: to a canonical user (`id`) or a predefined group (`uri`). */
export interface Grant {
  grantee: { type: 'CanonicalUser'; id: string } | { type: 'Group'; uri: string };
  permission: Permission;
}

/** An access control list: its owner's canonical id and the grants, in order. */
export interface Acl {
  owner: string;
  grants: Grant[];
}

/** A bucket's default encryption rule as S3 returns it. */
export interface EncryptionRule {
  SSEAlgorithm: string;
  KMSMasterKeyID?: string;
  BucketKeyEnabled: boolean;
}

/** How an object is encrypted when not SSE-S3 (AES256); set from the bucket's default at write. */
export interface ObjectSse {
  algorithm: string;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
}

/** One object as the store knows it (see `object-store.ts`); the bytes are in `dataFile` beside the journal. */
export interface ObjectMeta {
  key: string;
  size: number;
  /** MD5 hex, unquoted. */
  etag: string;
  contentType: string;
  /** User metadata, names lower-cased without `x-amz-meta-`. */
  metadata: Record<string, string>;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires as sent. */
  headers: Record<string, string>;
  /** ISO-8601 */
  lastModified: string;
  /** File in the bucket's folder that holds the bytes: the object's own `.data` file, or the journal. */
  dataFile: string;
  /** Where the bytes start in `dataFile` (0 for a `.data` file). */
  dataOffset: number;
  /** Flexible checksum the client sent (verified), e.g. `{algorithm: 'CRC32', value: 'base64'}`. */
  checksum?: { algorithm: string; value: string; type?: 'COMPOSITE' | 'FULL_OBJECT' };
  tags?: Tag[];
  /** Number of parts, for an object a multipart upload completed. */
  parts?: number;
  /** The multipart upload that completed into it: a restart then knows that upload is over. */
  uploadId?: string;
  storageClass?: string;
  /** The object ACL; absent: private (the owner's FULL_CONTROL). */
  acl?: Acl;
  /** The version's id; absent means `null` (written while unversioned or suspended). */
  versionId?: string;
  /** Absent: SSE-S3 (AES256). */
  sse?: ObjectSse;
}
