import { DetachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabOutputs } from '../checks/lib/outputs.ts';
import { hasAwsCli, runAws } from '../emulator/test-support/aws-cli.ts';
import { deploy } from '../scripts/deploy.ts';
import {
  EMULATOR_MISSING,
  eventually,
  startLocalStack,
  TEST_CREDENTIALS,
  type LocalStack,
} from '../scripts/test-support/local-stack.ts';
import { fileRecord, uploadWithFetch } from '../scripts/test-support/upload.ts';

const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/**
 * LAB.md's "read your function's logs" step, offline: the solution deployed to the local AWS, an
 * upload, and `aws logs tail /aws/lambda/upload-lab-file-metadata --since 5m` prints the invocation.
 */
describe.skipIf(EMULATOR_MISSING || !hasAwsCli)(
  'function logs after the solution deploy (skipped without the local AWS or /usr/bin/aws)',
  () => {
    let stack: LocalStack;
    let outputs: LabOutputs;
    const tail = (fn: string) =>
      runAws(stack.endpoint, ['logs', 'tail', `/aws/lambda/${fn}`, '--since', '5m']);

    beforeAll(async () => {
      stack = await startLocalStack();
      ({ outputs } = await deploy({
        endpoint: stack.endpoint,
        credentials: TEST_CREDENTIALS,
        name: 'upload-lab',
        origin: stack.origin,
        stage: 'solution',
        outputsFile: false,
      }));
      stack.setApiBaseUrl(outputs.apiEndpoint);
    }, 180_000);
    afterAll(() => stack?.stop());

    it("an upload: file-metadata's lines are in its log group; a role without logs permissions writes none", async () => {
      // The ticket function loses its logging permissions; the group the deploy's own probe of
      // POST /upload-url made is deleted, so whatever appears now was written after.
      await new IAMClient({
        endpoint: stack.endpoint,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
      }).send(new DetachRolePolicyCommand({ RoleName: outputs.roles.uploadTicket, PolicyArn: BASIC }));
      await runAws(stack.endpoint, [
        'logs',
        'delete-log-group',
        '--log-group-name',
        `/aws/lambda/${outputs.functions.uploadTicket}`,
      ]);
      const { ticket, status } = await uploadWithFetch(outputs, 'logged.txt', 'read my logs');
      expect(status).toBe(204);
      await eventually('the metadata record', () => fileRecord(outputs, ticket.object_key));

      const out = await eventually(
        'the file-metadata log lines',
        async () => {
          const run = await tail(outputs.functions.fileMetadata);
          return run.stdout.includes('REPORT RequestId:') ? run : undefined;
        },
        90_000,
      );
      expect(out.code).toBe(0);
      const lines = out.stdout.trim().split('\n');
      expect(lines[0]).toMatch(
        /^\S+ \d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32} START RequestId: [0-9a-f-]{36} Version: \$LATEST$/,
      );
      expect(out.stdout).toContain('"msg":"record written"');
      expect(out.stdout).toContain(ticket.object_key);
      expect(out.stdout).toMatch(/END RequestId: [0-9a-f-]{36}/);

      // The ticket function ran (the upload had its ticket) but could not log.
      const silent = await tail(outputs.functions.uploadTicket);
      expect(silent.code).not.toBe(0);
      expect(silent.stderr).toContain('The specified log group does not exist.');
    }, 180_000);
  },
);
