import { ACCOUNT_ID } from '../../auth/principal.ts';
import { lambdaErrors } from './errors.ts';

/** A function as a request names it: by name, partial ARN or full ARN, maybe with a qualifier. */
export interface FunctionRef {
  name: string;
  region: string;
  qualifier?: string;
}

// The pattern Lambda's model gives FunctionName, and the text its validation message shows.
const FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?(?<region>[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(?<account>\d{12}:)?(function:)?(?<name>[a-zA-Z0-9-_.]+)(:(?<qualifier>\$LATEST|[a-zA-Z0-9-_]+))?$/;
const patternText = (dot: string) =>
  `(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_${dot}]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`;
const QUALIFIER = /^[a-zA-Z0-9$_-]+$/;

export const unqualifiedArn = (region: string, name: string): string =>
  `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;

/** `…:function:<name>:$LATEST`, as Invoke's not-found message names it. */
export const qualifiedArn = (ref: FunctionRef): string =>
  `${unqualifiedArn(ref.region, ref.name)}:${ref.qualifier ?? '$LATEST'}`;

/**
 * Reads a FunctionName path or body member. Names, partial ARNs (`123456789012:function:f`) and
 * full ARNs are accepted; an ARN of another region is not reachable from this one.
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html#API_GetFunction_RequestSyntax
 */
export function parseFunctionRef(
  raw: string,
  region: string,
  operation: string,
  qualifierParam?: string,
): FunctionRef {
  const match = FUNCTION_NAME.exec(raw);
  const findings: string[] = [];
  const onlyName = match !== null && raw === match.groups!['name'];
  const maxLength = operation === 'CreateFunction' ? (onlyName ? 64 : 140) : 170;
  if (raw.length > maxLength)
    findings.push(
      `Value '${raw}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`,
    );
  if (!match) {
    const dot = operation === 'GetFunction' || operation === 'Invoke' ? '\\.' : '';
    findings.push(
      `Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${patternText(dot)}`,
    );
  }
  if (qualifierParam !== undefined && !QUALIFIER.test(qualifierParam))
    findings.push(
      `Value '${qualifierParam}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)`,
    );
  if (findings.length || !match) {
    const err = lambdaErrors.validation(findings);
    // CreateFunction with a plain name reports the same text as InvalidParameterValueException.
    if (operation === 'CreateFunction' && onlyName) throw lambdaErrors.invalidParameter(err.message);
    throw err;
  }
  const groups = match.groups!;
  const name = groups['name']!;
  const arnRegion = groups['region']?.slice(0, -1);
  if (arnRegion && arnRegion !== region) throw lambdaErrors.regionUnreachable(arnRegion, region);
  const account = groups['account']?.slice(0, -1);
  const arnQualifier = groups['qualifier'];
  if (qualifierParam && arnQualifier && qualifierParam !== arnQualifier)
    throw lambdaErrors.invalidParameter(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  const qualifier = qualifierParam || arnQualifier;
  if (account && account !== ACCOUNT_ID)
    throw lambdaErrors.functionNotFound(
      `arn:aws:lambda:${region}:${account}:function:${name}${qualifier ? `:${qualifier}` : ''}`,
    );
  return { name, region, ...(qualifier ? { qualifier } : {}) };
}
