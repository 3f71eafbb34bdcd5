import { code } from './format.ts';

export const scopeHints = {
  'bucket-private.public-read': (v: { url: string; status: number; statements?: string[] }) =>
    `Anyone can read ${code(v.url)} without credentials (status ${v.status}). ` +
    (v.statements?.length
      ? `Your bucket policy grants it to everyone (\`"Principal": "*"\`) in ${v.statements.map((s) => code(s)).join(', ')}. Remove that statement`
      : `Remove the public statement from the bucket policy (or the public ACL)`) +
    ` and turn Block Public Access back on; the browser only ever writes, with a ticket.`,
  'bucket-private.public-acl': (v: { url: string; status: number; grants: string[]; ownership: string }) =>
    `Anyone can read ${code(v.url)} without credentials (status ${v.status}): its ACL grants ` +
    `${v.grants.map((g) => code(g)).join(', ')}, and the bucket's Object Ownership is ${code(v.ownership)}, so ACLs ` +
    `count. Set Object Ownership back to \`BucketOwnerEnforced\` (ACLs disabled) and turn Block Public Access back ` +
    `on; the uploads stay private and the browser still writes with its ticket.`,
  'bucket-private.public-policy': (v: { bucket: string; off: string[]; statements: string[] }) =>
    `Block Public Access is off on ${code(v.bucket)} (${v.off.map((o) => code(o)).join(', ')}) and its bucket policy ` +
    `is public` +
    (v.statements.length
      ? `: ${v.statements.map((s) => code(s)).join(', ')} name everyone (\`"Principal": "*"\`)`
      : '') +
    `. Remove the public statement (the browser needs no policy: its ticket is signed by the upload role) and ` +
    `turn all four Block Public Access settings back on.`,
  'bucket-private.public-list': (v: { url: string; status: number }) =>
    `Anyone can list the bucket at ${code(v.url)} without credentials (status ${v.status}). Remove ` +
    `\`s3:ListBucket\` for \`*\` from the bucket policy and turn Block Public Access back on.`,

  'bucket-private.block-public-access-off': (v: { bucket: string; off: string[] }) =>
    `Block Public Access is off on ${code(v.bucket)} (${v.off.map((o) => code(o)).join(', ')}). Nothing is public yet, ` +
    `but one policy or ACL would make it so. Turn all four settings back on (S3 console → bucket → Permissions → ` +
    `Block public access, or \`aws s3api put-public-access-block\`).`,

  'ticket-scope.key-not-confined': (v: { triedKey: string; condition: string; prefix: string }) =>
    `With a ticket for one key the checker uploaded to ${code(v.triedKey)}: the policy's key condition is ` +
    `${code(v.condition)}. Sign the exact key (\`{key: objectKey}\`, what createPresignedPost does for a fixed ` +
    `Key) or at most \`["starts-with", "$key", "${v.prefix}"]\`.`,
  'ticket-scope.expiry-too-long': (v: { seconds: number }) =>
    `The ticket stays valid for ${v.seconds} s; the lab allows at most 900 s (15 minutes). Pass \`Expires\` of ` +
    `900 or less to createPresignedPost.`,
  'ticket-scope.no-size-limit': () =>
    `The ticket's policy has no \`content-length-range\`, so its holder can upload a file of any size. Add ` +
    `\`["content-length-range", 1, MAX_UPLOAD_BYTES]\` to the Conditions.`,
  'ticket-scope.size-limit-too-high': (v: { max: number; maxBytes: number }) =>
    `The ticket allows uploads up to ${v.max} bytes but announces max_bytes ${v.maxBytes}. Use MAX_UPLOAD_BYTES as ` +
    `the upper bound of \`content-length-range\`.`,
  'ticket-scope.extra-field-accepted': (v: { field: string }) =>
    `S3 accepted an upload carrying an extra form field ${code(v.field)} that the ticket should not allow. Remove ` +
    `the permissive \`starts-with\` condition on it from the ticket's Conditions.`,
} as const;
