import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketOwnershipControlsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type Grant,
  type ObjectOwnership,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { OWNER } from './model/s3-model.ts';
import { expectSdkError, expectXmlError, postForm, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
});
afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
});

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const OFF = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};
const ownerOnly = [{ Grantee: { ID: OWNER.ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }];
const publicRead = [...ownerOnly, { Grantee: { URI: ALL_USERS, Type: 'Group' }, Permission: 'READ' }];

async function bucket(ownership?: ObjectOwnership, blockOff = false): Promise<string> {
  const Bucket = uniqueBucket('acl');
  await s3.send(new CreateBucketCommand({ Bucket, ...(ownership ? { ObjectOwnership: ownership } : {}) }));
  if (blockOff) await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
  return Bucket;
}

describe('Object Ownership controls', () => {
  it('default BucketOwnerEnforced, honoured at creation, put, get, deleted idempotently', async () => {
    const Bucket = await bucket();
    const get = async () =>
      (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules;
    expect(await get()).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    const preferred = await bucket('BucketOwnerPreferred');
    expect(
      (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: preferred }))).OwnershipControls?.Rules,
    ).toEqual([{ ObjectOwnership: 'BucketOwnerPreferred' }]);
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      }),
    );
    expect(await get()).toEqual([{ ObjectOwnership: 'ObjectWriter' }]);
    for (let i = 0; i < 2; i++)
      expect(
        (await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket }))).$metadata.httpStatusCode,
      ).toBe(204);
    await expectSdkError(
      s3.send(new GetBucketOwnershipControlsCommand({ Bucket })),
      404,
      'OwnershipControlsNotFoundError',
      'The bucket ownership controls were not found',
      { BucketName: Bucket },
    );
  });

  it('refuses bad ownership values at creation and in PutBucketOwnershipControls', async () => {
    for (const value of ['RandomValue', ''])
      await expectXmlError(
        await signedFetch(`${emulator.url}/${uniqueBucket('own')}`, {
          method: 'PUT',
          headers: { 'x-amz-object-ownership': value },
        }),
        400,
        'InvalidArgument',
        `Invalid x-amz-object-ownership header: ${value}`,
        { ArgumentName: 'x-amz-object-ownership' },
      );
    const Bucket = await bucket();
    const malformed =
      'The XML you provided was not well-formed or did not validate against our published schema';
    for (const Rules of [
      [{ ObjectOwnership: 'ObjectWriter' }, { ObjectOwnership: 'BucketOwnerPreferred' }],
      [{ ObjectOwnership: 'Nope' }],
      [],
    ])
      await expectSdkError(
        s3.send(
          new PutBucketOwnershipControlsCommand({
            Bucket,
            OwnershipControls: { Rules: Rules as Array<{ ObjectOwnership: ObjectOwnership }> },
          }),
        ),
        400,
        'MalformedXML',
        malformed,
      );
  });

  it('BucketOwnerEnforced refuses ACLs: Put*Acl, PutObject/CopyObject, CreateBucket, POST acl', async () => {
    const Bucket = await bucket(undefined, true);
    const notSupported = ['AccessControlListNotSupported', 'The bucket does not allow ACLs'] as const;
    await expectSdkError(s3.send(new PutBucketAclCommand({ Bucket, ACL: 'private' })), 400, ...notSupported);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    await expectSdkError(
      s3.send(new PutObjectAclCommand({ Bucket, Key: 'k', ACL: 'private' })),
      400,
      ...notSupported,
    );
    for (const ACL of ['public-read', 'private'] as const)
      await expectSdkError(
        s3.send(new PutObjectCommand({ Bucket, Key: 'k2', Body: 'x', ACL })),
        400,
        ...notSupported,
      );
    await expectSdkError(
      s3.send(new PutObjectCommand({ Bucket, Key: 'k2', Body: 'x', GrantRead: `uri="${ALL_USERS}"` })),
      400,
      ...notSupported,
    );
    await expectSdkError(
      s3.send(new CopyObjectCommand({ Bucket, Key: 'k3', CopySource: `${Bucket}/k`, ACL: 'public-read' })),
      400,
      ...notSupported,
    );
    // bucket-owner-full-control is the one ACL still accepted; the ACL shown is the owner's alone.
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k4', Body: 'x', ACL: 'bucket-owner-full-control' }));
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: 'k4' }))).Grants).toEqual(ownerOnly);
    expect((await s3.send(new GetBucketAclCommand({ Bucket }))).Grants).toEqual(ownerOnly);
    await expectSdkError(
      s3.send(new CreateBucketCommand({ Bucket: uniqueBucket('own'), ACL: 'public-read' })),
      400,
      'InvalidBucketAclWithObjectOwnership',
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
    await s3.send(new CreateBucketCommand({ Bucket: uniqueBucket('own'), ACL: 'private' }));
    const post = await signedPost(Bucket, 'p', 'public-read');
    await expectXmlError(post, 400, ...notSupported);
    // An anonymous POST allowed by nothing is refused before its acl matters.
    await expectXmlError(
      await postForm(`${emulator.url}/${Bucket}`, { key: 'p', acl: 'public-read' }, 'x'),
      403,
      'AccessDenied',
      'Access Denied',
    );
  });

  it('switching to BucketOwnerEnforced disables the ACLs objects already have', async () => {
    const Bucket = await bucket('ObjectWriter', true);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'pub', Body: 'x', ACL: 'public-read' }));
    expect((await fetch(`${emulator.url}/${Bucket}/pub`)).status).toBe(200);
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
    );
    expect((await fetch(`${emulator.url}/${Bucket}/pub`)).status).toBe(403);
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: 'pub' }))).Grants).toEqual(ownerOnly);
  });

  it('switching to BucketOwnerEnforced is refused while the bucket ACL grants others', async () => {
    const Bucket = await bucket('ObjectWriter', true);
    await s3.send(new PutBucketAclCommand({ Bucket, ACL: 'public-read' }));
    await expectSdkError(
      s3.send(
        new PutBucketOwnershipControlsCommand({
          Bucket,
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        }),
      ),
      400,
      'InvalidBucketAclWithObjectOwnership',
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
  });
});

/** A browser POST signed by root with an `acl` field its policy allows. */
async function signedPost(Bucket: string, Key: string, acl: string): Promise<Response> {
  const { url, fields } = await createPresignedPost(s3, {
    Bucket,
    Key,
    Fields: { acl },
    Conditions: [{ acl }],
  });
  return postForm(url, fields, 'posted');
}

describe('ACLs with ObjectWriter', () => {
  it("POST Object's acl field: refused by BlockPublicAcls, stored and honoured once BPA is off", async () => {
    const Bucket = await bucket('ObjectWriter');
    await expectXmlError(await signedPost(Bucket, 'p', 'public-read'), 403, 'AccessDenied', 'Access Denied');
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    expect((await signedPost(Bucket, 'p', 'public-read')).status).toBe(204);
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: 'p' }))).Grants).toEqual(publicRead);
    expect(await (await fetch(`${emulator.url}/${Bucket}/p`)).text()).toBe('posted');
  });

  it('canned ACLs give AWS grants (no DisplayName) and a public-read object is readable anonymously', async () => {
    const Bucket = await bucket('ObjectWriter', true);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'pub.txt', Body: 'open', ACL: 'public-read' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'priv.txt', Body: 'closed' }));
    const acl = await s3.send(new GetObjectAclCommand({ Bucket, Key: 'pub.txt' }));
    expect(acl.Owner).toEqual({ ID: OWNER.ID });
    expect(acl.Grants).toEqual(publicRead);
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: 'priv.txt' }))).Grants).toEqual(ownerOnly);
    const open = await fetch(`${emulator.url}/${Bucket}/pub.txt`);
    expect(open.status).toBe(200);
    expect(await open.text()).toBe('open');
    expect((await fetch(`${emulator.url}/${Bucket}/priv.txt`)).status).toBe(403);
    const raw = await signedFetch(`${emulator.url}/${Bucket}/pub.txt?acl`);
    const xml = await raw.text();
    expect(xml).not.toContain('DisplayName');
    expect(xml).toContain('xsi:type="Group"');

    // IgnorePublicAcls hides the grant from readers and from GetObjectAcl.
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket,
        PublicAccessBlockConfiguration: { ...OFF, IgnorePublicAcls: true },
      }),
    );
    expect((await fetch(`${emulator.url}/${Bucket}/pub.txt`)).status).toBe(403);
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: 'pub.txt' }))).Grants).toEqual(ownerOnly);

    // BlockPublicAcls refuses new public ACLs, leaves private ones alone.
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket,
        PublicAccessBlockConfiguration: { ...OFF, BlockPublicAcls: true },
      }),
    );
    await expectSdkError(
      s3.send(new PutObjectCommand({ Bucket, Key: 'p2', Body: 'x', ACL: 'public-read' })),
      403,
      'AccessDenied',
      'Access Denied',
    );
    await expectSdkError(
      s3.send(new PutObjectAclCommand({ Bucket, Key: 'priv.txt', ACL: 'authenticated-read' })),
      403,
      'AccessDenied',
      'Access Denied',
    );
    await expectSdkError(
      s3.send(new PutBucketAclCommand({ Bucket, ACL: 'public-read-write' })),
      403,
      'AccessDenied',
    );
    await s3.send(new PutObjectCommand({ Bucket, Key: 'p3', Body: 'x', ACL: 'bucket-owner-full-control' }));
    expect((await fetch(`${emulator.url}/${Bucket}/pub.txt`)).status).toBe(200);
  });

  it('PutObjectAcl and PutBucketAcl by canned ACL, grant headers or XML; a public-read bucket lists anonymously', async () => {
    const Bucket = await bucket('BucketOwnerPreferred', true);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    await s3.send(new PutObjectAclCommand({ Bucket, Key: 'k', ACL: 'public-read' }));
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: 'k' }))).Grants).toEqual(publicRead);
    expect((await fetch(`${emulator.url}/${Bucket}/k`)).status).toBe(200);
    await s3.send(
      new PutObjectAclCommand({
        Bucket,
        Key: 'k',
        GrantRead: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"',
      }),
    );
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: 'k' }))).Grants).toEqual([
      {
        Grantee: { URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery', Type: 'Group' },
        Permission: 'READ',
      },
    ]);
    expect((await fetch(`${emulator.url}/${Bucket}/k`)).status).toBe(403);
    await s3.send(
      new PutObjectAclCommand({
        Bucket,
        Key: 'k',
        AccessControlPolicy: { Owner: { ID: OWNER.ID }, Grants: publicRead as Grant[] },
      }),
    );
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: 'k' }))).Grants).toEqual(publicRead);
    // The body is still the object's.
    expect(await (await fetch(`${emulator.url}/${Bucket}/k`)).text()).toBe('x');

    expect((await fetch(`${emulator.url}/${Bucket}?list-type=2`)).status).toBe(403);
    await s3.send(new PutBucketAclCommand({ Bucket, ACL: 'public-read' }));
    expect((await s3.send(new GetBucketAclCommand({ Bucket }))).Grants).toEqual(publicRead);
    expect((await fetch(`${emulator.url}/${Bucket}?list-type=2`)).status).toBe(200);
    // Objects do not inherit the bucket ACL.
    await s3.send(new PutObjectCommand({ Bucket, Key: 'new', Body: 'x' }));
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: 'new' }))).Grants).toEqual(ownerOnly);
  });

  it('answers the ACL request errors AWS answers', async () => {
    const Bucket = await bucket('ObjectWriter', true);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    for (const path of [`${Bucket}?acl`, `${Bucket}/k?acl`]) {
      const put = (headers: Record<string, string>, body?: string) =>
        signedFetch(`${emulator.url}/${path}`, { method: 'PUT', headers, ...(body ? { body } : {}) });
      // [REC] no Message element at all for an unknown canned ACL.
      const fakeText = await (await put({ 'x-amz-acl': 'fake-acl' })).text();
      expect(fakeText).toContain('<Code>InvalidArgument</Code>');
      expect(fakeText).not.toContain('<Message>');
      expect(fakeText).toContain('<ArgumentName>x-amz-acl</ArgumentName>');
      expect(fakeText).toContain('<ArgumentValue>fake-acl</ArgumentValue>');
      await expectXmlError(
        await put({ 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/Nobody"' }),
        400,
        'InvalidArgument',
        'Invalid group uri',
        { ArgumentName: 'uri' },
      );
      await expectXmlError(
        await put({ 'x-amz-grant-write': 'fakekey="1234"' }),
        400,
        'InvalidArgument',
        'Argument format not recognized',
        { ArgumentName: 'x-amz-grant-write' },
      );
      await expectXmlError(
        await put({ 'x-amz-grant-read': 'id=wrong-id' }),
        400,
        'InvalidArgument',
        'Invalid id',
        {
          ArgumentName: 'id',
        },
      );
      await expectXmlError(
        await put({}),
        400,
        'MissingSecurityHeader',
        'Your request was missing a required header',
        {
          MissingHeaderName: 'x-amz-acl',
        },
      );
      await expectXmlError(
        await put({ 'x-amz-acl': 'private', 'x-amz-grant-read': `uri="${ALL_USERS}"` }),
        400,
        'InvalidRequest',
        'Specifying both Canned ACLs and Header Grants is not allowed',
      );
      const xml = `<AccessControlPolicy><Owner><ID>${OWNER.ID}</ID></Owner><AccessControlList/></AccessControlPolicy>`;
      await expectXmlError(
        await put({ 'x-amz-acl': 'private' }, xml),
        400,
        'UnexpectedContent',
        'This request does not support content',
      );
      const malformed =
        'The XML you provided was not well-formed or did not validate against our published schema';
      await expectXmlError(
        await put({}, '<AccessControlPolicy><AccessControlList/></AccessControlPolicy>'),
        400,
        'MalformedACLError',
        malformed,
      );
      await expectXmlError(await put({}, 'not xml'), 400, 'MalformedACLError', malformed);
      await expectXmlError(
        await put(
          {},
          `<AccessControlPolicy><Owner><ID>${OWNER.ID}</ID></Owner><AccessControlList><Grant><Grantee><ID>bad</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
        ),
        400,
        'InvalidArgument',
        'Invalid id',
        { ArgumentName: 'CanonicalUser/ID' },
      );
      await expectXmlError(
        await put(
          {},
          `<AccessControlPolicy><Owner><ID>${OWNER.ID}</ID></Owner><AccessControlList><Grant><Grantee><URI>http://x/y</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
        ),
        400,
        'InvalidArgument',
        'Invalid group uri',
        { ArgumentName: 'Group/URI' },
      );
    }
    // None of it changed the ACLs.
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: 'k' }))).Grants).toEqual(ownerOnly);
    expect((await s3.send(new GetBucketAclCommand({ Bucket }))).Grants).toEqual(ownerOnly);
  });

  it('CreateBucket with ObjectWriter: a private ACL is stored, a public one fails the new bucket BPA', async () => {
    await expectSdkError(
      s3.send(
        new CreateBucketCommand({
          Bucket: uniqueBucket('own'),
          ObjectOwnership: 'ObjectWriter',
          ACL: 'public-read',
        }),
      ),
      403,
      'AccessDenied',
      'Access Denied',
    );
    const Bucket = uniqueBucket('own');
    await s3.send(new CreateBucketCommand({ Bucket, ObjectOwnership: 'ObjectWriter', ACL: 'private' }));
    expect((await s3.send(new GetBucketAclCommand({ Bucket }))).Grants).toEqual(ownerOnly);
  });
});
