import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabOutputs } from '../../checks/lib/outputs.ts';
import type { RunContext } from './context.ts';
import { METADATA_PREFIX, UPLOAD_PREFIX } from './names.ts';
import type { Stage } from './plan.ts';

export function buildOutputs(ctx: RunContext, stage: Stage): LabOutputs {
  const { names, target, found } = ctx;
  return {
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    region: target.region,
    name: names.prefix,
    stage,
    bucket: names.bucket,
    apiId: found.apiId ?? '',
    apiEndpoint: (found.apiEndpoint ?? '').replace(/\/+$/, ''),
    functions: { ...names.functions },
    roles: { ...names.roles },
    frontendOrigin: ctx.origin,
    uploadPrefix: UPLOAD_PREFIX,
    metadataPrefix: METADATA_PREFIX,
  };
}

/** Writes to a temporary file beside the target, then renames: readers never see half a file. */
export async function writeOutputs(file: string, outputs: LabOutputs): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(outputs, null, 2)}\n`);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}
