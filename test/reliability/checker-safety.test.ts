import { join } from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../checks/runner.ts';
import { CredentialStore, type SessionRecord } from '../../emulator/auth/credentials.ts';
import { snapshotAccount, snapshotSize, type AccountSnapshot } from './support/account-snapshot.ts';
import { runCheckerCli, stackTraceLines, type CliRun } from './support/checker-cli.ts';
import { printFigures, reliabilityScale, scaled } from './support/soak-figures.ts';
import {
  eventsDelivered,
  REPO,
  ROOT_CREDENTIALS,
  startSolutionStack,
  type SolutionStack,
} from './support/solution-stack.ts';
import { postWithTicket, randomFile, requestTicket } from './support/ticket-uploads.ts';
import { waitForRecords } from './support/upload-audit.ts';

/** Requests the local AWS answered, by operation, and the throttled ones. */
const seen = { requests: new Map<string, number>(), throttled: 0 };
const count = (operation: string) => seen.requests.get(operation) ?? 0;

describe('a check run is safe for the account it checks', () => {
  let stack: SolutionStack;
  let expired: SessionRecord;
  let before: AccountSnapshot;
  const figures = { cases: 0, faults: 0, lost: 0, compared: 0, uploads: 0, deletes: 0 };

  beforeAll(async () => {
    stack = await startSolutionStack({
      // An STS session that expired a minute ago, in the store the emulator then opens.
      seed: async (dataDir) => {
        const store = await CredentialStore.open(join(dataDir, 'sts', 'sessions'), []);
        expired = await store.issueSession({
          roleArn: 'arn:aws:iam::000000000000:role/expired-student',
          roleName: 'expired-student',
          roleId: 'AROAEXPIREDSTUDENT01',
          sessionName: 'student',
          durationSeconds: -60,
        });
      },
      onRequest: ({ operation, status }) => {
        seen.requests.set(operation, count(operation) + 1);
        if (status === 429 || status === 503) seen.throttled++;
      },
    });
    // A student's earlier uploads, which a check run must leave exactly as they are.
    const earlier = [1, 2, 3].map((i) => randomFile(`earlier-${i}.txt`, 2048 * i));
    const keys = await Promise.all(
      earlier.map(async (file) => {
        const ticket = await requestTicket(stack.outputs, file);
        const posted = await postWithTicket(ticket, file);
        if (posted.status !== 204) throw new Error(`seed upload answered ${posted.status}: ${posted.body}`);
        return ticket.object_key;
      }),
    );
    await waitForRecords(stack.s3, stack.outputs, keys, 30_000);
    await eventsDelivered(stack.dataDir);
    before = await snapshotAccount(stack.endpoint);
  });
  afterAll(async () => {
    delete process.env['EMULATOR_FAULTS'];
    await stack?.stop();
    printFigures('checker-safety', figures);
  });

  it(
    'changes nothing but its own test objects, which it removes',
    async () => {
      for (let run = 0; run < scaled(1); run++) {
        const posts = count('s3.PostObject');
        const deletes = count('s3.DeleteObject');
        const report = await runChecks({
          endpoint: stack.endpoint,
          local: true,
          target: stack.outputs,
          frontendUrl: `${stack.origin}/app/`,
          frontendDir: join(REPO, 'solution', 'frontend'),
          cwd: stack.dir,
        });
        const notPassed = report.results.filter(
          (r) => r.status !== 'pass' && !(r.status === 'skip' && /chromium/i.test(r.detail)),
        );
        expect(notPassed.map((r) => `${r.id} ${r.status}: ${r.detail}`)).toEqual([]);
        expect(report.leftovers).toEqual([]);
        const uploads = count('s3.PostObject') - posts;
        expect(uploads, 'the run uploads test objects').toBeGreaterThan(0);
        figures.uploads += uploads;
        figures.deletes += count('s3.DeleteObject') - deletes;

        await eventsDelivered(stack.dataDir);
        expect(await snapshotAccount(stack.endpoint)).toEqual(before);
        figures.cases += 1;
      }
      figures.compared = snapshotSize(before);
      expect(figures.compared, 'the snapshot holds the stack and the earlier uploads').toBeGreaterThanOrEqual(
        15,
      );
    },
    60_000 * reliabilityScale(),
  );

  it('says what is wrong with missing or expired credentials, a wrong region and throttling, in coded lines', async () => {
    const { endpoint, dir } = stack;
    const expiredKeys = {
      AWS_ACCESS_KEY_ID: expired.accessKeyId,
      AWS_SECRET_ACCESS_KEY: expired.secretAccessKey,
      AWS_SESSION_TOKEN: expired.sessionToken,
    };
    const [none, stale, region] = await Promise.all([
      runCheckerCli(['--only', 'bucket-private'], dir, {
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: 'us-east-1',
      }),
      runCheckerCli(['--only', 'bucket-private'], dir, {
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: 'us-east-1',
        ...expiredKeys,
      }),
      runCheckerCli(['--local', '--region', 'eu-west-1'], dir, { AWS_ENDPOINT_URL: endpoint }),
    ]);
    expectSetupError(none, /^LAB_NO_CREDENTIALS: no AWS credentials found\. .*aws configure/);
    expectSetupError(
      stale,
      /^LAB_BAD_CREDENTIALS: AWS refused the credentials \(ExpiredToken\w*: .*\)\. Refresh them/,
    );
    expectSetupError(
      region,
      /^LAB_BAD_REGION: \.lab\/outputs\.json says the stack is in us-east-1, .*eu-west-1.*--region us-east-1/,
    );

    const throttled = seen.throttled;
    process.env['EMULATOR_FAULTS'] = 'throttle:lambda.Invoke:1.0';
    const lambda = await runCheckerCli(['--local', '--only', 'ticket-function'], dir, {
      AWS_ENDPOINT_URL: endpoint,
    });
    process.env['EMULATOR_FAULTS'] = 'throttle:apigatewayv2.GetApi:1.0,throttle:s3.GetBucketCors:1.0';
    const control = await runCheckerCli(['--local', '--only', 'api-cors', 'bucket-cors'], dir, {
      AWS_ENDPOINT_URL: endpoint,
    });
    delete process.env['EMULATOR_FAULTS'];
    expectThrottled(lambda, ['ticket-function']);
    expectThrottled(control, ['api-cors', 'bucket-cors']);
    expect(seen.throttled - throttled, 'the SDK retried, then gave up').toBeGreaterThanOrEqual(6);

    // Failed runs leave nothing behind either.
    await eventsDelivered(stack.dataDir);
    expect(await snapshotAccount(endpoint)).toEqual(before);
    figures.cases += 5;
    figures.faults += 3 + (seen.throttled - throttled);
  });

  it('names the missing permission when it runs as an IAM user allowed too little', async () => {
    const { endpoint, dir } = stack;
    const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: ROOT_CREDENTIALS });
    /** A user with an inline policy allowing `actions`, and a fresh key of it, as the CLI's environment. */
    const userKeys = async (UserName: string, actions: string[]) => {
      await iam.send(new CreateUserCommand({ UserName }));
      const PolicyDocument = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
      });
      await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: 'too-little', PolicyDocument }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName }))).AccessKey!;
      return {
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: key.AccessKeyId!,
        AWS_SECRET_ACCESS_KEY: key.SecretAccessKey!,
      };
    };
    const [listOnly, apiReader] = await Promise.all([
      userKeys('checker-list-only', ['s3:ListBucket']),
      userKeys('checker-api-reader', ['apigateway:GET', 's3:ListBucket']),
    ]);
    iam.destroy();
    const [setup, row] = await Promise.all([
      runCheckerCli(['--only', 'bucket-private'], dir, listOnly),
      runCheckerCli(['--only', 'bucket-cors'], dir, apiReader),
    ]);
    // The first call the checker makes is refused: one coded line naming the identity and action.
    expectSetupError(
      setup,
      /^LAB_MISSING_PERMISSION: your identity \(arn:aws:iam::000000000000:user\/checker-list-only\) may not perform apigateway:GET \(AccessDeniedException: .*\)\. The checker only reads your stack: grant read access/,
    );
    // A refusal inside a row errors that row with the same coded line, not a raw SDK error.
    expect(row.code, row.stderr).toBe(1);
    const at = row.stderr.indexOf('ERROR bucket-cors — ');
    expect(at, row.stderr).toBeGreaterThanOrEqual(0);
    expect(row.stderr.slice(at).replace(/\s+/g, ' ')).toMatch(
      /LAB_MISSING_PERMISSION: your identity \(arn:aws:iam::000000000000:user\/checker-api-reader\) may not perform s3:\w+/,
    );
    expect(stackTraceLines(row.stderr + row.stdout)).toEqual([]);
    expect(row.stderr).not.toMatch(/LAB_INTERNAL/);
    figures.cases += 2;
  });
});

/** Exit 2, one coded line saying what to do, no stack trace. */
function expectSetupError(run: CliRun, line: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr.trimEnd()).toMatch(line);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stackTraceLines(run.stderr + run.stdout)).toEqual([]);
}

/** Exit 1; each throttled row errors with LAB_THROTTLED and what to do; no stack trace. */
function expectThrottled(run: CliRun, rows: string[]): void {
  expect(run.code, run.stderr).toBe(1);
  for (const row of rows) {
    const at = run.stderr.indexOf(`ERROR ${row} — `);
    expect(at, run.stderr).toBeGreaterThanOrEqual(0);
    const detail = run.stderr.slice(at).split('\n').slice(1, 3).join(' ').replace(/\s+/g, ' ');
    expect(detail).toMatch(
      /^ ?LAB_THROTTLED: AWS is throttling the checker's calls \(\w+: .+\)\. Wait a minute/,
    );
  }
  expect(stackTraceLines(run.stderr + run.stdout)).toEqual([]);
  expect(run.stderr).not.toMatch(/LAB_CLEANUP|LAB_INTERNAL/);
}
