import { parseXml } from '../../../protocols/xml.ts';
import type { CorsRule } from '../model/types.ts';
import { s3Errors } from '../s3-errors.ts';
import { xmlList, xmlRoot, xmlStructs, xmlText } from '../xml-values.ts';

const METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);
const MAX_RULES = 100;

/**
 * Parses and validates a `<CORSConfiguration>` the way PutBucketCors does.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
 */
export function parseCorsConfiguration(body: Buffer): CorsRule[] {
  const root = xmlRoot(parseXml(body), 'CORSConfiguration');
  const rules = xmlStructs(root['CORSRule']).map(parseRule);
  // [REC test_put_cors_invalid_rules] empty CORSRules → MalformedXML.
  if (rules.length === 0) throw s3Errors.malformedXml();
  // [DOC ManageCorsUsing] at most 100 rules; the error text is UNVERIFIED.
  if (rules.length > MAX_RULES)
    throw s3Errors.invalidRequest(`The CORS configuration can have at most ${MAX_RULES} rules.`);
  return rules;
}

function parseRule(raw: Record<string, unknown>): CorsRule {
  const methods = xmlList(raw['AllowedMethod']);
  const origins = xmlList(raw['AllowedOrigin']);
  if (methods.length === 0 || origins.length === 0) throw s3Errors.malformedXml();
  for (const method of methods)
    if (!METHODS.has(method))
      throw s3Errors.invalidRequest(
        `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`,
      );
  const headers = xmlList(raw['AllowedHeader']);
  // [DOC] "at most one" wildcard per origin/header; the message is UNVERIFIED.
  for (const origin of origins) oneWildcard('AllowedOrigin', origin);
  for (const header of headers) oneWildcard('AllowedHeader', header);
  const rule: CorsRule = {
    AllowedHeaders: headers,
    AllowedMethods: methods,
    AllowedOrigins: origins,
    ExposeHeaders: xmlList(raw['ExposeHeader']),
  };
  const id = xmlText(raw['ID']);
  if (id !== undefined) rule.ID = id;
  const maxAge = xmlText(raw['MaxAgeSeconds']);
  if (maxAge !== undefined) {
    if (!/^-?\d+$/.test(maxAge.trim())) throw s3Errors.malformedXml();
    rule.MaxAgeSeconds = Number(maxAge);
  }
  return rule;
}

function oneWildcard(element: string, value: string): void {
  if (value.split('*').length > 2)
    throw s3Errors.invalidRequest(`${element} "${value}" can not have more than one wildcard.`);
}

/** The `GetBucketCors` document: every value echoed exactly as stored. */
export function corsConfigurationXml(rules: CorsRule[]): Record<string, unknown> {
  return {
    CORSRule: rules.map((rule) => ({
      ...(rule.ID !== undefined ? { ID: rule.ID } : {}),
      ...(rule.AllowedHeaders.length ? { AllowedHeader: rule.AllowedHeaders } : {}),
      AllowedMethod: rule.AllowedMethods,
      AllowedOrigin: rule.AllowedOrigins,
      ...(rule.ExposeHeaders.length ? { ExposeHeader: rule.ExposeHeaders } : {}),
      ...(rule.MaxAgeSeconds !== undefined ? { MaxAgeSeconds: rule.MaxAgeSeconds } : {}),
    })),
  };
}
