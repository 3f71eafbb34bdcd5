import { join } from 'node:path';
import { ACCOUNT_ID } from '../../auth/principal.ts';
import { AwsError } from '../../core/aws-error.ts';
import { awsId } from '../../core/ids.ts';
import { JsonStore } from '../../storage/json-store.ts';
import { iamDate, type Tag } from './role-store.ts';

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createDate: string;
}

export interface ManagedPolicyRecord {
  name: string;
  path: string;
  policyId: string;
  arn: string;
  description?: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  versions: PolicyVersionRecord[];
  nextVersion: number;
  tags: Tag[];
  /** AWS-managed (`arn:aws:iam::aws:policy/…`): read-only, present in every account. */
  awsManaged?: boolean;
}

/** The AWS-managed policies the lab relies on, as AWS publishes them. */
const AWS_MANAGED: ManagedPolicyRecord[] = [
  {
    name: 'AWSLambdaBasicExecutionRole',
    path: '/service-role/',
    policyId: 'ANPAJNCQGXC42545SKXIK',
    arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    description: 'Provides write permissions to CloudWatch Logs.',
    createDate: '2015-04-09T15:03:43Z',
    updateDate: '2015-04-09T15:03:43Z',
    defaultVersionId: 'v1',
    versions: [
      {
        versionId: 'v1',
        createDate: '2015-04-09T15:03:43Z',
        document: JSON.stringify(
          {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: '*',
              },
            ],
          },
          null,
          2,
        ),
      },
    ],
    nextVersion: 2,
    tags: [],
    awsManaged: true,
  },
];

const MAX_VERSIONS = 5;

export const noSuchPolicy = (arn: string) =>
  new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, { status: 404 });

/** Customer-managed policies (stored) beside the built-in AWS-managed ones. */
export class ManagedPolicies {
  private constructor(private readonly store: JsonStore<ManagedPolicyRecord>) {}

  static async open(dataDir: string): Promise<ManagedPolicies> {
    return new ManagedPolicies(await JsonStore.open<ManagedPolicyRecord>(join(dataDir, 'iam', 'policies')));
  }

  find(arn: string): ManagedPolicyRecord | undefined {
    return AWS_MANAGED.find((p) => p.arn === arn) ?? this.store.get(arn);
  }

  get(arn: string): ManagedPolicyRecord {
    const policy = this.find(arn);
    if (!policy) throw noSuchPolicy(arn);
    return policy;
  }

  /** The JSON text of the policy's default version. */
  defaultDocument(policy: ManagedPolicyRecord): string {
    return policy.versions.find((v) => v.versionId === policy.defaultVersionId)?.document ?? '{}';
  }

  version(arn: string, versionId: string): PolicyVersionRecord {
    const found = this.find(arn)?.versions.find((v) => v.versionId === versionId);
    if (!found)
      throw new AwsError(
        'NoSuchEntity',
        `Policy ${arn} version ${versionId} does not exist or is not attachable.`,
        {
          status: 404,
        },
      );
    return found;
  }

  list(): ManagedPolicyRecord[] {
    return [...AWS_MANAGED, ...this.store.values().sort((a, b) => (a.name < b.name ? -1 : 1))];
  }

  async create(input: {
    name: string;
    path: string;
    document: string;
    description?: string;
    tags: Tag[];
  }): Promise<ManagedPolicyRecord> {
    const arn = `arn:aws:iam::${ACCOUNT_ID}:policy${input.path}${input.name}`;
    if (this.store.values().some((p) => p.name.toLowerCase() === input.name.toLowerCase()))
      throw new AwsError(
        'EntityAlreadyExists',
        `A policy called ${input.name} already exists. Duplicate names are not allowed.`,
        {
          status: 409,
        },
      );
    const now = iamDate();
    const record: ManagedPolicyRecord = {
      name: input.name,
      path: input.path,
      policyId: awsId('ANPA', 21),
      arn,
      ...(input.description === undefined ? {} : { description: input.description }),
      createDate: now,
      updateDate: now,
      defaultVersionId: 'v1',
      versions: [{ versionId: 'v1', document: input.document, createDate: now }],
      nextVersion: 2,
      tags: input.tags,
    };
    await this.store.put(arn, record);
    return record;
  }

  async createVersion(arn: string, document: string, setAsDefault: boolean): Promise<PolicyVersionRecord> {
    const policy = structuredClone(this.customer(arn));
    if (policy.versions.length >= MAX_VERSIONS)
      throw new AwsError(
        'LimitExceeded',
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
        { status: 409 },
      );
    const version = { versionId: `v${policy.nextVersion++}`, document, createDate: iamDate() };
    policy.versions.push(version);
    if (setAsDefault) policy.defaultVersionId = version.versionId;
    policy.updateDate = version.createDate;
    await this.store.put(arn, policy);
    return version;
  }

  async deleteVersion(arn: string, versionId: string): Promise<void> {
    this.version(arn, versionId);
    const policy = structuredClone(this.customer(arn));
    if (policy.defaultVersionId === versionId)
      throw new AwsError('DeleteConflict', 'Cannot delete the default version of a policy.', { status: 409 });
    policy.versions = policy.versions.filter((v) => v.versionId !== versionId);
    await this.store.put(arn, policy);
  }

  async setDefaultVersion(arn: string, versionId: string): Promise<void> {
    this.version(arn, versionId);
    const policy = structuredClone(this.customer(arn));
    policy.defaultVersionId = versionId;
    await this.store.put(arn, policy);
  }

  async delete(arn: string, attachments: number): Promise<void> {
    const policy = this.customer(arn);
    if (attachments > 0)
      throw new AwsError('DeleteConflict', 'Cannot delete a policy attached to entities.', { status: 409 });
    if (policy.versions.length > 1)
      throw new AwsError(
        'DeleteConflict',
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        { status: 409 },
      );
    await this.store.delete(arn);
  }

  clear(): Promise<void> {
    return this.store.clear();
  }

  /** A policy this account owns (AWS-managed ones cannot be changed). */
  private customer(arn: string): ManagedPolicyRecord {
    const policy = this.get(arn);
    if (policy.awsManaged)
      throw new AwsError('AccessDenied', `Cannot modify AWS managed policy ${arn}.`, { status: 403 });
    return policy;
  }
}
