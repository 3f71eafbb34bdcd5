import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutBucketNotificationConfigurationCommand, type Event, type S3Client } from '@aws-sdk/client-s3';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { deploy, executionRole, lambdaClient } from '../lambda/test-kit.ts';

/**
 * A function that records every S3 event it gets into a file: one JSON line per delivery in
 * `out`, one key per attempt in `out.attempts`. It fails while `out.fail` exists, and for the
 * first FAIL_TIMES attempts of each key.
 */
const RECORDER = `
const fs = require('node:fs');
exports.handler = async (event) => {
  const out = process.env.OUT;
  const key = event.Records[0].s3.object.key;
  fs.appendFileSync(out + '.attempts', key + '\\n');
  const attempts = fs.readFileSync(out + '.attempts', 'utf8').split('\\n').filter((k) => k === key).length;
  if (fs.existsSync(out + '.fail') || attempts <= Number(process.env.FAIL_TIMES || 0)) throw new Error('told to fail');
  fs.appendFileSync(out, JSON.stringify(event) + '\\n');
  return 'ok';
};
`;

export interface Recorder {
  arn: string;
  out: string;
  /** Events delivered so far, in arrival order. */
  events(): Promise<
    Array<{
      Records: Array<Record<string, unknown> & { s3: { object: { key: string; sequencer: string } } }>;
    }>
  >;
  attempts(): Promise<string[]>;
}

const lines = async (file: string) =>
  (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');

/** Deploys a recorder function that S3 may invoke for `bucket`, and points the bucket at it. */
export async function recorderFor(
  url: string,
  s3: S3Client,
  options: {
    bucket: string;
    name: string;
    dir: string;
    events?: Event[];
    prefix?: string;
    failTimes?: number;
  },
): Promise<Recorder> {
  const lambda = lambdaClient(url);
  const out = join(options.dir, `${options.name}.jsonl`);
  const role = await executionRole(url, `${options.name}-role`);
  await deploy(lambda, {
    name: options.name,
    role,
    files: { 'index.js': RECORDER },
    Environment: { Variables: { OUT: out, FAIL_TIMES: String(options.failTimes ?? 0) } },
  });
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: options.name,
      StatementId: 's3-invoke',
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceArn: `arn:aws:s3:::${options.bucket}`,
      SourceAccount: '000000000000',
    }),
  );
  lambda.destroy();
  const arn = `arn:aws:lambda:us-east-1:000000000000:function:${options.name}`;
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: options.bucket,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Id: `${options.name}-config`,
            LambdaFunctionArn: arn,
            Events: options.events ?? ['s3:ObjectCreated:*'],
            ...(options.prefix !== undefined
              ? { Filter: { Key: { FilterRules: [{ Name: 'prefix' as const, Value: options.prefix }] } } }
              : {}),
          },
        ],
      },
    }),
  );
  return {
    arn,
    out,
    events: async () => (await lines(out)).map((l) => JSON.parse(l)),
    attempts: () => lines(`${out}.attempts`),
  };
}
