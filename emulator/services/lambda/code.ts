import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { writeFileAtomic } from '../../storage/atomic.ts';
import { lambdaErrors } from './errors.ts';

/** AWS's limit on a deployment package once unzipped (250 MB). */
export const MAX_UNZIPPED_BYTES = 262_144_000;
const MAX_ENTRIES = 20_000;

/** The project's node_modules: the functions' "runtime" modules (the AWS SDK v3), as /var/runtime/node_modules on AWS. */
export const RUNTIME_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

export interface StoredCode {
  /** Base64 SHA-256 of the zip, Lambda's CodeSha256. */
  sha256: string;
  size: number;
  /** Folder name under the code store (hex SHA-256). */
  key: string;
}

const unzipError = () =>
  lambdaErrors.invalidParameter(
    'Could not unzip uploaded file. Please check your file, then try to upload again.',
  );

/**
 * Deployment packages, content-addressed under `<dataDir>/lambda/code/<sha>/`: the zip as sent
 * (`code.zip`) and its files extracted (`task/`, the function's /var/task). Beside `task/` sits a
 * `node_modules` link to the project's, so that `import '@aws-sdk/client-s3'` resolves from the
 * function's code (ES modules ignore NODE_PATH) after the function's own node_modules, as on AWS.
 */
export class CodeStore {
  /** Packages saved moments ago, perhaps for a function not stored yet: pruning leaves them alone. */
  private readonly fresh = new Map<string, number>();

  constructor(private readonly dir: string) {}

  taskDir(key: string): string {
    return join(this.dir, key, 'task');
  }

  /** Checks and stores a zip; the same bytes are stored once. */
  async save(zip: Uint8Array): Promise<StoredCode> {
    const hash = createHash('sha256').update(zip);
    const key = hash.copy().digest('hex');
    const code = { sha256: hash.digest('base64'), size: zip.length, key };
    const files = extract(zip);
    this.fresh.set(key, Date.now());
    const home = join(this.dir, key);
    if (existsSync(join(home, 'code.zip'))) return code;
    const staging = join(this.dir, `.staging-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(join(staging, 'task'), { recursive: true });
      for (const [name, bytes] of files) {
        const target = join(staging, 'task', name);
        if (name.endsWith('/')) await mkdir(target, { recursive: true });
        else {
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, bytes);
        }
      }
      if (existsSync(RUNTIME_NODE_MODULES))
        await symlink(RUNTIME_NODE_MODULES, join(staging, 'node_modules'), 'dir');
      await rm(home, { recursive: true, force: true });
      await rename(staging, home);
      await writeFileAtomic(join(home, 'code.zip'), Buffer.from(zip));
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return code;
  }

  /** Removes packages no function refers to any more. */
  async prune(inUse: Set<string>): Promise<void> {
    if (!existsSync(this.dir)) return;
    for (const [key, at] of this.fresh) if (Date.now() - at > 60_000) this.fresh.delete(key);
    for (const name of await readdir(this.dir))
      if (!name.startsWith('.') && !inUse.has(name) && !this.fresh.has(name))
        await rm(join(this.dir, name), { recursive: true, force: true });
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Unzips in memory with the guards AWS's own limits imply: a package whose declared sizes add
 * up to more than 250 MB is refused before inflating (each entry inflates into a buffer of its
 * declared size, so a lying header cannot grow it), and every path must stay inside the folder.
 */
function extract(zip: Uint8Array): Array<[string, Uint8Array]> {
  let total = 0;
  let entries = 0;
  let unpacked: Record<string, Uint8Array>;
  try {
    unpacked = unzipSync(zip, {
      filter: (file) => {
        total += file.originalSize;
        entries += 1;
        if (total >= MAX_UNZIPPED_BYTES || entries > MAX_ENTRIES)
          throw lambdaErrors.invalidParameter(
            `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`,
          );
        return true;
      },
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'AwsError') throw err;
    throw unzipError();
  }
  const out: Array<[string, Uint8Array]> = [];
  for (const [raw, bytes] of Object.entries(unpacked)) {
    const name = safeEntryName(raw);
    if (name === undefined) throw unzipError(); // UNVERIFIED: AWS's answer to an escaping path
    if (name !== '') out.push([name, bytes]);
  }
  return out;
}

/** A zip entry's path made relative and checked: no absolute paths, drive letters or `..`. */
export function safeEntryName(raw: string): string | undefined {
  const name = raw.replace(/\\/g, '/');
  if (name.includes('\0') || name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return undefined;
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) return undefined;
  return parts.filter((p, i) => p !== '.' && (p !== '' || i === parts.length - 1)).join('/');
}
