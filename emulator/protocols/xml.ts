import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { AwsError } from '../core/aws-error.ts';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

/** Serialises a plain object as an XML document (arrays repeat their element). */
export function toXml(root: string, body: unknown, xmlns?: string): string {
  const content = xmlns && typeof body === 'object' && body !== null ? { '@_xmlns': xmlns, ...body } : body;
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build({ [root]: content });
}

const options = { ignoreAttributes: true, parseTagValue: false, processEntities: true, isArray: () => false };
const parser = new XMLParser({ ...options, trimValues: true });
/** For documents whose values may be whitespace that matters (an object key of one space). */
const exactParser = new XMLParser({ ...options, trimValues: false });

/**
 * Parses a request body as XML, or answers S3's `MalformedXML`. Values stay strings; a
 * repeated element becomes an array (use `asArray` to read lists uniformly). `exact` keeps
 * values as written, leading and trailing whitespace included.
 */
export function parseXml(body: Buffer | string, { exact = false } = {}): Record<string, unknown> {
  const text = body.toString();
  try {
    if (!text.trim().startsWith('<')) throw new Error('not XML');
    const doc = (exact ? exactParser : parser).parse(text, true) as Record<string, unknown>;
    return doc;
  } catch {
    throw new AwsError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
      { status: 400 },
    );
  }
}

export function asArray<T>(value: T | T[] | undefined | null | ''): T[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
