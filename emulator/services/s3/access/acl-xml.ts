import { AwsError } from '../../../core/aws-error.ts';
import { parseXml } from '../../../protocols/xml.ts';
import type { Acl, Grant, Permission } from '../model/types.ts';
import { xmlStructs, xmlText } from '../xml-values.ts';
import { checkGrantee } from './acl.ts';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const PERMISSIONS = new Set<Permission>(['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP']);

const malformedAcl = () =>
  new AwsError(
    'MalformedACLError',
    'The XML you provided was not well-formed or did not validate against our published schema',
    { status: 400 },
  );

/**
 * The `AccessControlPolicy` body of GetBucketAcl/GetObjectAcl. No `DisplayName` on the owner or
 * the grantees: AWS stopped returning it (fully from 2025-11-21).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAcl.html
 */
export function aclDocument(acl: Acl): Record<string, unknown> {
  return {
    Owner: { ID: acl.owner },
    AccessControlList: acl.grants.length
      ? {
          Grant: acl.grants.map((g) => ({
            Grantee: {
              '@_xmlns:xsi': XSI,
              '@_xsi:type': g.grantee.type,
              ...(g.grantee.type === 'CanonicalUser' ? { ID: g.grantee.id } : { URI: g.grantee.uri }),
            },
            Permission: g.permission,
          })),
        }
      : '',
  };
}

/**
 * Reads a PutBucketAcl/PutObjectAcl body. Not XML, no `Owner`, or an unknown permission →
 * MalformedACLError; a bad grantee → InvalidArgument [REC test_s3_*_acl_exceptions]. The
 * grantee's kind is read from its child (`ID` or `URI`; the parser drops `xsi:type`).
 */
export function parseAclBody(body: Buffer): Acl {
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(body);
  } catch {
    throw malformedAcl();
  }
  const root = doc['AccessControlPolicy'];
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw malformedAcl();
  const policy = root as Record<string, unknown>;
  const ownerNode = policy['Owner'];
  if (typeof ownerNode !== 'object' || ownerNode === null) throw malformedAcl();
  const owner = read(() => xmlText((ownerNode as Record<string, unknown>)['ID']));
  if (!owner) throw malformedAcl();
  checkGrantee({ type: 'CanonicalUser', id: owner }, { id: 'CanonicalUser/ID', uri: 'Group/URI' });
  const list = policy['AccessControlList'];
  const grantNodes =
    list === undefined || list === ''
      ? []
      : read(() => xmlStructs((list as Record<string, unknown>)['Grant']));
  const grants = grantNodes.map((node): Grant => {
    const permission = read(() => xmlText(node['Permission'])) as Permission | undefined;
    const granteeNode = node['Grantee'];
    if (
      !permission ||
      !PERMISSIONS.has(permission) ||
      typeof granteeNode !== 'object' ||
      granteeNode === null
    )
      throw malformedAcl();
    const g = granteeNode as Record<string, unknown>;
    const id = read(() => xmlText(g['ID']));
    const uri = read(() => xmlText(g['URI']));
    if ((id === undefined) === (uri === undefined)) throw malformedAcl();
    const grantee: Grant['grantee'] =
      id !== undefined ? { type: 'CanonicalUser', id } : { type: 'Group', uri: uri! };
    checkGrantee(grantee, { id: 'CanonicalUser/ID', uri: 'Group/URI' });
    return { grantee, permission };
  });
  return { owner, grants };
}

/** Structure errors of the XML helpers (MalformedXML) become MalformedACLError here. */
function read<T>(f: () => T): T {
  try {
    return f();
  } catch {
    throw malformedAcl();
  }
}
