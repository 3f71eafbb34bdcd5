import { join } from 'node:path';
import { ACCOUNT_ID } from '../../auth/principal.ts';
import { AwsError } from '../../core/aws-error.ts';
import { awsId } from '../../core/ids.ts';
import { JsonStore } from '../../storage/json-store.ts';

export interface Tag {
  Key: string;
  Value: string;
}

/** A role as stored: the trust policy as given, inline policies by name, attached managed policy ARNs. */
export interface RoleRecord {
  name: string;
  path: string;
  roleId: string;
  arn: string;
  createDate: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
}

/** IAM timestamps carry seconds, not milliseconds: `2024-01-31T12:00:00Z`. */
export const iamDate = (ms = Date.now()): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const noSuchRole = (name: string) =>
  new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, { status: 404 });

/**
 * Roles, their inline policies, attachments and tags, one JSON file per role. Role names are
 * unique regardless of case, as in IAM, so records are keyed by the lower-cased name.
 */
export class RoleStore {
  private constructor(private readonly roles: JsonStore<RoleRecord>) {}

  static async open(dataDir: string): Promise<RoleStore> {
    return new RoleStore(await JsonStore.open<RoleRecord>(join(dataDir, 'iam', 'roles')));
  }

  /** By name or ARN. */
  find(nameOrArn: string): RoleRecord | undefined {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    const role = this.roles.get(name.toLowerCase());
    if (role && nameOrArn.startsWith('arn:') && role.arn !== nameOrArn) return undefined;
    return role;
  }

  get(name: string): RoleRecord {
    const role = this.find(name);
    if (!role || name.startsWith('arn:')) throw noSuchRole(name);
    return role;
  }

  list(): RoleRecord[] {
    return this.roles.values().sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  }

  async create(input: {
    name: string;
    path: string;
    assumeRolePolicyDocument: string;
    description?: string;
    maxSessionDuration: number;
    tags: Tag[];
  }): Promise<RoleRecord> {
    if (this.roles.has(input.name.toLowerCase()))
      throw new AwsError('EntityAlreadyExists', `Role with name ${input.name} already exists.`, {
        status: 409,
      });
    const record: RoleRecord = {
      ...input,
      roleId: awsId('AROA', 21),
      arn: `arn:aws:iam::${ACCOUNT_ID}:role${input.path}${input.name}`,
      createDate: iamDate(),
      inlinePolicies: {},
      attachedPolicyArns: [],
    };
    await this.save(record);
    return record;
  }

  /** Applies `change` to a copy of the role and stores it. */
  async update(name: string, change: (role: RoleRecord) => void): Promise<RoleRecord> {
    const role = structuredClone(this.get(name));
    change(role);
    await this.save(role);
    return role;
  }

  async delete(name: string): Promise<RoleRecord> {
    const role = this.get(name);
    if (role.attachedPolicyArns.length)
      throw new AwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', {
        status: 409,
      });
    if (Object.keys(role.inlinePolicies).length)
      throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', {
        status: 409,
      });
    await this.roles.delete(role.name.toLowerCase());
    return role;
  }

  /** How many roles have the managed policy attached. */
  attachmentCount(policyArn: string): number {
    return this.roles.values().filter((r) => r.attachedPolicyArns.includes(policyArn)).length;
  }

  clear(): Promise<void> {
    return this.roles.clear();
  }

  private save(role: RoleRecord): Promise<void> {
    return this.roles.put(role.name.toLowerCase(), role);
  }
}
