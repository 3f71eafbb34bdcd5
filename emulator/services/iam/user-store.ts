import { join } from 'node:path';
import { ACCOUNT_ID } from '../../auth/principal.ts';
import { AwsError } from '../../core/aws-error.ts';
import { awsId, secretKey } from '../../core/ids.ts';
import { JsonStore } from '../../storage/json-store.ts';
import { iamDate, type Tag } from './role-store.ts';

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  createDate: string;
}

/** What users and groups share: a name unique ignoring case, a path, and identity policies. */
export interface PolicyHolder {
  name: string;
  path: string;
  arn: string;
  createDate: string;
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
}

/** A user as stored: its access keys and its group memberships (group names) live on it. */
export interface UserRecord extends PolicyHolder {
  userId: string;
  tags: Tag[];
  groups: string[];
  accessKeys: AccessKeyRecord[];
}

export interface GroupRecord extends PolicyHolder {
  groupId: string;
}

/** Recorded from IAM (LocalStack `test_iam_users` snapshots). */
export const noSuchUser = (name: string) =>
  new AwsError('NoSuchEntity', `The user with name ${name} cannot be found.`, { status: 404 });
export const noSuchGroup = (name: string) =>
  new AwsError('NoSuchEntity', `The group with name ${name} cannot be found.`, { status: 404 });

/**
 * Users or groups, one JSON file each (written atomically before the answer), keyed by the
 * lower-cased name because IAM names are unique regardless of case.
 */
export class NamedStore<T extends PolicyHolder> {
  private constructor(
    private readonly records: JsonStore<T>,
    private readonly notFound: (name: string) => AwsError,
  ) {}

  static async open<T extends PolicyHolder>(
    dir: string,
    notFound: (name: string) => AwsError,
  ): Promise<NamedStore<T>> {
    return new NamedStore(await JsonStore.open<T>(dir), notFound);
  }

  /** By name, or by ARN (which must then match exactly, path included). */
  find(nameOrArn: string): T | undefined {
    const isArn = nameOrArn.startsWith('arn:');
    const name = isArn ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    const record = this.records.get(name.toLowerCase());
    return record && isArn && record.arn !== nameOrArn ? undefined : record;
  }

  get(name: string): T {
    const record = this.find(name);
    if (!record || name.startsWith('arn:')) throw this.notFound(name);
    return record;
  }

  has(name: string): boolean {
    return this.records.has(name.toLowerCase());
  }

  list(): T[] {
    return this.records.values().sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  }

  put(record: T): Promise<void> {
    return this.records.put(record.name.toLowerCase(), record);
  }

  /** Applies `change` to a copy of the record and stores it (a throw in `change` stores nothing). */
  async update(name: string, change: (record: T) => void): Promise<T> {
    const record = structuredClone(this.get(name));
    change(record);
    await this.put(record);
    return record;
  }

  remove(name: string): Promise<void> {
    return this.records.delete(name.toLowerCase());
  }

  clear(): Promise<void> {
    return this.records.clear();
  }
}

export const openUsers = (dataDir: string) =>
  NamedStore.open<UserRecord>(join(dataDir, 'iam', 'users'), noSuchUser);
export const openGroups = (dataDir: string) =>
  NamedStore.open<GroupRecord>(join(dataDir, 'iam', 'groups'), noSuchGroup);

export function newUser(name: string, path: string, tags: Tag[]): UserRecord {
  return {
    name,
    path,
    userId: awsId('AIDA', 21),
    arn: `arn:aws:iam::${ACCOUNT_ID}:user${path}${name}`,
    createDate: iamDate(),
    tags,
    inlinePolicies: {},
    attachedPolicyArns: [],
    groups: [],
    accessKeys: [],
  };
}

export function newGroup(name: string, path: string): GroupRecord {
  return {
    name,
    path,
    groupId: awsId('AGPA', 21),
    arn: `arn:aws:iam::${ACCOUNT_ID}:group${path}${name}`,
    createDate: iamDate(),
    inlinePolicies: {},
    attachedPolicyArns: [],
  };
}

/** A long-term key: `AKIA` + 16 characters, a 40-character secret. */
export const newAccessKey = (): AccessKeyRecord => ({
  accessKeyId: awsId('AKIA', 20),
  secretAccessKey: secretKey(),
  status: 'Active',
  createDate: iamDate(),
});
