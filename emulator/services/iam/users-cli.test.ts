import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, runAws } from '../../test-support/aws-cli.ts';
import { s3Client } from '../../test-support/clients.ts';
import { hasBoto3, runPython } from '../../test-support/python.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';

/** The Debian AWS CLI v2 and boto3 (botocore's own Query serializer and SigV4 signer) with IAM users. */
const Bucket = 'users-cli-bucket';
const LIST_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${Bucket}` }],
});

let emulator: TestEmulator;
const aws = async (args: string[], env: Record<string, string> = {}) => {
  const out = await runAws(emulator.url, [...args, '--output', 'json'], env);
  return { ...out, json: out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : {} };
};
/** The student's key, set up through the CLI by the first test. */
let key: { AccessKeyId: string; SecretAccessKey: string } | undefined;

beforeAll(async () => {
  emulator = await startTestEmulator();
  await s3Client(emulator.url).send(new CreateBucketCommand({ Bucket }));
});
afterAll(() => emulator?.stop());

describe.skipIf(!hasAwsCli)('AWS CLI v2: iam users, groups and access keys', () => {
  it('create-user, create-access-key, put-user-policy, add-user-to-group, list-users', async () => {
    const user = await aws(['iam', 'create-user', '--user-name', 'cli-student', '--path', '/class/']);
    expect(user.code, user.stderr).toBe(0);
    expect(user.json['User']).toMatchObject({
      UserName: 'cli-student',
      Path: '/class/',
      Arn: 'arn:aws:iam::000000000000:user/class/cli-student',
    });
    const created = await aws(['iam', 'create-access-key', '--user-name', 'cli-student']);
    expect(created.code, created.stderr).toBe(0);
    key = created.json['AccessKey'] as typeof key;
    expect(created.json['AccessKey']).toMatchObject({ UserName: 'cli-student', Status: 'Active' });
    expect(key!.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key!.SecretAccessKey).toHaveLength(40);

    const put = await aws([
      'iam',
      'put-user-policy',
      '--user-name',
      'cli-student',
      '--policy-name',
      'list-only',
      '--policy-document',
      LIST_ONLY,
    ]);
    expect(put.code, put.stderr).toBe(0);
    const got = await aws([
      'iam',
      'get-user-policy',
      '--user-name',
      'cli-student',
      '--policy-name',
      'list-only',
    ]);
    // The CLI decodes the URL-encoded document, as it does for IAM's answers.
    expect(got.json).toEqual({
      UserName: 'cli-student',
      PolicyName: 'list-only',
      PolicyDocument: JSON.parse(LIST_ONLY),
    });

    expect((await aws(['iam', 'create-group', '--group-name', 'cli-class'])).code).toBe(0);
    const added = await aws([
      'iam',
      'add-user-to-group',
      '--group-name',
      'cli-class',
      '--user-name',
      'cli-student',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const group = await aws(['iam', 'get-group', '--group-name', 'cli-class']);
    expect((group.json['Users'] as Array<{ UserName: string }>).map((u) => u.UserName)).toEqual([
      'cli-student',
    ]);

    const listed = await aws(['iam', 'list-users', '--path-prefix', '/class/']);
    expect(listed.code, listed.stderr).toBe(0);
    expect((listed.json['Users'] as Array<{ Arn: string }>).map((u) => u.Arn)).toEqual([
      'arn:aws:iam::000000000000:user/class/cli-student',
    ]);
  });

  it('signs with the created key: lists the bucket, is refused put-object with AWS’s message', async () => {
    expect(key).toBeDefined();
    const asStudent = { AWS_ACCESS_KEY_ID: key!.AccessKeyId, AWS_SECRET_ACCESS_KEY: key!.SecretAccessKey };
    const me = await aws(['sts', 'get-caller-identity'], asStudent);
    expect(me.json['Arn']).toBe('arn:aws:iam::000000000000:user/class/cli-student');
    expect((await aws(['s3api', 'list-objects-v2', '--bucket', Bucket], asStudent)).code).toBe(0);
    const refused = await aws(['s3api', 'put-object', '--bucket', Bucket, '--key', 'x.txt'], asStudent);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      /An error occurred \(AccessDenied\) when calling the PutObject operation: (User: arn:aws:iam::000000000000:user\/class\/cli-student is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::users-cli-bucket\/x\.txt" because no identity-based policy allows the s3:PutObject action|Access Denied)/,
    );
  });

  it('reports the user errors with their code and message', async () => {
    const dup = await aws(['iam', 'create-user', '--user-name', 'cli-student']);
    expect(dup.stderr).toContain(
      'An error occurred (EntityAlreadyExists) when calling the CreateUser operation: User with name cli-student already exists.',
    );
    const missing = await aws([
      'iam',
      'add-user-to-group',
      '--group-name',
      'no-group',
      '--user-name',
      'cli-student',
    ]);
    expect(missing.stderr).toContain(
      'An error occurred (NoSuchEntity) when calling the AddUserToGroup operation: The group with name no-group cannot be found.',
    );
  });
});

const BOTO3 = `
import json, os, boto3
from botocore.exceptions import ClientError
kw = dict(endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
          aws_access_key_id=os.environ['KEY_ID'], aws_secret_access_key=os.environ['SECRET'])
out = {'arn': boto3.client('sts', **kw).get_caller_identity()['Arn']}
s3 = boto3.client('s3', **kw)
out['listed'] = s3.list_objects_v2(Bucket=os.environ['BUCKET'])['KeyCount']
try:
    s3.put_object(Bucket=os.environ['BUCKET'], Key='boto3.txt', Body=b'x')
    out['put'] = 'allowed'
except ClientError as e:
    out['put'] = e.response['Error']['Code']
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3)('boto3 signs with a key CreateAccessKey made', () => {
  it('is the user to STS, may list, may not put', async () => {
    const { IAMClient, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand } =
      await import('@aws-sdk/client-iam');
    const iam = new IAMClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await iam.send(new CreateUserCommand({ UserName: 'boto3-user' }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'boto3-user', PolicyName: 'list', PolicyDocument: LIST_ONLY }),
    );
    const created = (await iam.send(new CreateAccessKeyCommand({ UserName: 'boto3-user' }))).AccessKey!;
    iam.destroy();
    const result = await runPython(BOTO3, {
      ENDPOINT: emulator.url,
      BUCKET: Bucket,
      KEY_ID: created.AccessKeyId!,
      SECRET: created.SecretAccessKey!,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      arn: 'arn:aws:iam::000000000000:user/boto3-user',
      listed: 0,
      put: 'AccessDenied',
    });
  });
});
