import { AwsError } from '../../../core/aws-error.ts';
import { parseXml } from '../../../protocols/xml.ts';
import type { Tag } from '../model/types.ts';
import { s3Errors } from '../s3-errors.ts';
import { xmlRoot, xmlStructs, xmlText } from '../xml-values.ts';

/** Letters, digits, spaces and `+ - = . _ : / @` [DOC tag restrictions, "Tagging best practices"]. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const invalidTag = (message: string, fields: Record<string, string> = {}) =>
  new AwsError('InvalidTag', message, { status: 400, fields });

/**
 * Checks a set of object tags against S3's limits [§9.3]: at most 10 tags, a key of at most 128
 * and a value of at most 256 characters, the allowed characters, no `aws:` prefix, no
 * duplicate keys.
 */
export function checkObjectTags(tags: Tag[]): Tag[] {
  // Community captures of AWS answer BadRequest; ceph/s3-tests expect InvalidTag [§9.3, §13].
  if (tags.length > 10)
    throw new AwsError('BadRequest', 'Object tags cannot be greater than 10', { status: 400 });
  const seen = new Set<string>();
  for (const { Key, Value } of tags) {
    // UNVERIFIED: the two "too long" texts are what emulators use; AWS's own are not recorded.
    if ([...Key].length > 128)
      throw invalidTag('The TagKey you have provided is too long, max 128', { TagKey: Key });
    if ([...Value].length > 256)
      throw invalidTag('The TagValue you have provided is too long, max 256', {
        TagKey: Key,
        TagValue: Value,
      });
    if (Key.startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:', { TagKey: Key });
    if (Key === '' || !TAG_CHARACTERS.test(Key))
      throw invalidTag('The TagKey you have provided is invalid', { TagKey: Key });
    if (!TAG_CHARACTERS.test(Value))
      throw invalidTag('The TagValue you have provided is invalid', { TagKey: Key, TagValue: Value });
    if (seen.has(Key)) throw invalidTag('Cannot provide multiple Tags with the same key', { TagKey: Key });
    seen.add(Key);
  }
  return tags;
}

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>…`: a Tag without Key or Value is MalformedXML [REC]. */
export function parseObjectTagging(body: Buffer | string): Tag[] {
  const root = xmlRoot(parseXml(body), 'Tagging');
  const set = root['TagSet'];
  if (set === undefined) throw s3Errors.malformedXml();
  const tags = xmlStructs(set === '' ? undefined : (set as Record<string, unknown>)['Tag']).map((t) => {
    const key = xmlText(t['Key']);
    const value = xmlText(t['Value']);
    if (key === undefined || value === undefined) throw s3Errors.malformedXml();
    return { Key: key, Value: value };
  });
  return checkObjectTags(tags);
}

/**
 * The POST form's `tagging` field: not XML → MalformedXML; well-formed XML with another root →
 * no tags [REC test_post_object_with_tags].
 */
export function postFormTags(field: string): Tag[] {
  const doc = parseXml(field);
  return 'Tagging' in doc ? parseObjectTagging(field) : [];
}

const badTaggingHeader = (value: string) =>
  s3Errors.invalidArgument(
    "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
    'x-amz-tagging',
    value,
  );

/**
 * `x-amz-tagging: k1=v1&k2=` (URL-encoded query); a key without `=` has the value `""` [REC].
 * A repeated key, or a pair with a second raw `=` (`k1=v1,k2=v2`, not query-encoded), is
 * InvalidArgument [REC]; that a second `=` is how AWS tells is UNVERIFIED.
 */
export function tagsFromHeader(value: string | undefined): Tag[] | undefined {
  if (value === undefined) return undefined;
  if (value === '') return [];
  const tags: Tag[] = [];
  for (const pair of value.split('&')) {
    const parts = pair.split('=');
    if (parts.length > 2) throw badTaggingHeader(value);
    try {
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
      tags.push({ Key: decode(parts[0]!), Value: decode(parts[1] ?? '') });
    } catch {
      throw badTaggingHeader(value);
    }
  }
  if (new Set(tags.map((t) => t.Key)).size !== tags.length) throw badTaggingHeader(value);
  return checkObjectTags(tags);
}
