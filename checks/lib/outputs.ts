import { readFile } from 'node:fs/promises';

/**
 * What `npm run deploy` writes to `.lab/outputs.json`, and what `checks/`, `site/` and `smoke`
 * read. Every field names something that exists in the target account; discovery fills the
 * same shape when a student built the stack by hand.
 */
export interface LabOutputs {
  /** The AWS endpoint override (the local AWS, e.g. `http://localhost:4566`); absent on real AWS. */
  endpoint?: string;
  region: string;
  /** Resource-name prefix, e.g. `upload-lab`. */
  name: string;
  stage: 'baseline' | 'solution';
  bucket: string;
  apiId: string;
  /** Base URL of the HTTP API's `$default` stage, no trailing slash. */
  apiEndpoint: string;
  functions: { uploadTicket: string; fileMetadata: string; listFiles: string };
  roles: { uploadTicket: string; fileMetadata: string; listFiles: string };
  /** The origin the frontend is served from, e.g. `http://localhost:5173`. */
  frontendOrigin: string;
  /** Where uploads land (`incoming/`) and where the pipeline writes records (`metadata/`). */
  uploadPrefix: string;
  metadataPrefix: string;
}

export const OUTPUTS_FILE = '.lab/outputs.json';

/** Reads an outputs file; `undefined` when it does not exist. */
export async function readOutputs(file = OUTPUTS_FILE): Promise<LabOutputs | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return JSON.parse(text) as LabOutputs;
}
