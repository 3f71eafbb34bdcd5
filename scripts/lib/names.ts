import { usageError } from './errors.ts';

export const DEFAULT_PREFIX = 'upload-lab';
export const DEFAULT_ORIGIN = 'http://localhost:5173';
export const UPLOAD_PREFIX = 'incoming/';
export const METADATA_PREFIX = 'metadata/';
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export type FunctionKey = 'uploadTicket' | 'fileMetadata' | 'listFiles';
export const FUNCTION_KEYS: readonly FunctionKey[] = ['uploadTicket', 'fileMetadata', 'listFiles'];
/** The folder under `solution/functions/`, which is also the name after the prefix. */
export const FUNCTION_DIRS: Record<FunctionKey, string> = {
  uploadTicket: 'upload-ticket',
  fileMetadata: 'file-metadata',
  listFiles: 'list-files',
};

/** Every name the deploy creates, from docs/contracts.md. */
export interface LabNames {
  prefix: string;
  bucket: string;
  api: string;
  functions: Record<FunctionKey, string>;
  roles: Record<FunctionKey, string>;
  /** Inline policies: the lab's `s3:PutObject` grant and the baseline roles' S3 access. */
  policies: { uploadTicketPut: string; fileMetadataS3: string; listFilesS3: string };
  /** The bucket notification's configuration Id. */
  notificationId: string;
  tags: Record<string, string>;
}

const PREFIX_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$/;
/** `<prefix>-file-metadata-role` must fit IAM's 64 characters; bucket names fit 63 with any region. */
const MAX_PREFIX = 30;

export function checkPrefix(prefix: string): string {
  if (!PREFIX_PATTERN.test(prefix) || prefix.includes('--') || prefix.length > MAX_PREFIX) {
    throw usageError(
      `--name "${prefix}" cannot name the lab's resources: use 2-${MAX_PREFIX} lower-case letters, digits and single hyphens, starting with a letter (e.g. upload-lab or upload-lab-alice).`,
    );
  }
  return prefix;
}

export function labNames(prefix: string, account: string, region: string): LabNames {
  checkPrefix(prefix);
  const each = (suffix: string): Record<FunctionKey, string> => ({
    uploadTicket: `${prefix}-upload-ticket${suffix}`,
    fileMetadata: `${prefix}-file-metadata${suffix}`,
    listFiles: `${prefix}-list-files${suffix}`,
  });
  return {
    prefix,
    bucket: `${prefix}-${account}-${region}`,
    api: `${prefix}-api`,
    functions: each(''),
    roles: each('-role'),
    policies: {
      uploadTicketPut: `${prefix}-upload-ticket-put`,
      fileMetadataS3: `${prefix}-file-metadata-s3`,
      listFilesS3: `${prefix}-list-files-s3`,
    },
    notificationId: `${prefix}-file-metadata`,
    tags: { lab: 'presigned-upload-lab', 'lab:name': prefix },
  };
}

/** `http://localhost:5173/` → `http://localhost:5173`; anything with a path is refused. */
export function checkOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`--origin "${raw}" is not a URL; pass an origin like http://localhost:5173.`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.pathname !== '/' ||
    url.search ||
    url.hash
  ) {
    throw usageError(
      `--origin "${raw}" is not an origin: give scheme, host and port only, e.g. https://lab.example.com.`,
    );
  }
  return url.origin;
}
