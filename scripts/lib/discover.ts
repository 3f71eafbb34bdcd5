import { GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { GetRoleCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { ListFunctionsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { GetBucketTaggingCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import type { RunContext } from './context.ts';
import { FUNCTION_KEYS } from './names.ts';
import { tagRecord } from './resources/tags.ts';

/** Everything teardown removes: the lab's own names, plus anything else named `<prefix>-…` and tagged `lab:name=<prefix>`. */
export interface Leftovers {
  apis: Array<{ id: string; name: string }>;
  functions: string[];
  buckets: string[];
  roles: string[];
}

const tagged = (tags: Record<string, string | undefined> | undefined, prefix: string): boolean =>
  tags?.['lab:name'] === prefix;

/** Errors while reading one candidate's tags (e.g. a bucket in another region) leave it out. */
const quietly = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await read();
  } catch {
    return undefined;
  }
};

export async function findLeftovers(ctx: RunContext): Promise<Leftovers> {
  const { names } = ctx;
  const dash = `${names.prefix}-`;
  const apis: Leftovers['apis'] = [];
  let apiToken: string | undefined;
  do {
    const page = await ctx.clients.apigw.send(new GetApisCommand(apiToken ? { NextToken: apiToken } : {}));
    for (const api of page.Items ?? []) {
      if (
        api.ApiId &&
        (api.Name === names.api || (api.Name?.startsWith(dash) && tagged(api.Tags, names.prefix)))
      ) {
        apis.push({ id: api.ApiId, name: api.Name ?? names.api });
      }
    }
    apiToken = page.NextToken;
  } while (apiToken);

  const functions = FUNCTION_KEYS.map((k) => names.functions[k]);
  let marker: string | undefined;
  do {
    const page = await ctx.clients.lambda.send(new ListFunctionsCommand(marker ? { Marker: marker } : {}));
    for (const fn of page.Functions ?? []) {
      if (!fn.FunctionName?.startsWith(dash) || functions.includes(fn.FunctionName) || !fn.FunctionArn)
        continue;
      const arn = fn.FunctionArn;
      const tags = await quietly(() => ctx.clients.lambda.send(new ListTagsCommand({ Resource: arn })));
      if (tagged(tags?.Tags, names.prefix)) functions.push(fn.FunctionName);
    }
    marker = page.NextMarker;
  } while (marker);

  const buckets = [names.bucket];
  const listed = await ctx.clients.s3.send(new ListBucketsCommand({}));
  for (const bucket of listed.Buckets ?? []) {
    const Bucket = bucket.Name;
    if (!Bucket?.startsWith(dash) || buckets.includes(Bucket)) continue;
    const tags = await quietly(() => ctx.clients.s3.send(new GetBucketTaggingCommand({ Bucket })));
    if (tags && tagged(tagRecord(tags.TagSet), names.prefix)) buckets.push(Bucket);
  }

  const roles = FUNCTION_KEYS.map((k) => names.roles[k]);
  let roleMarker: string | undefined;
  do {
    const page = await ctx.clients.iam.send(new ListRolesCommand(roleMarker ? { Marker: roleMarker } : {}));
    for (const role of page.Roles ?? []) {
      const RoleName = role.RoleName;
      if (!RoleName?.startsWith(dash) || roles.includes(RoleName)) continue;
      const full = await quietly(() => ctx.clients.iam.send(new GetRoleCommand({ RoleName })));
      if (tagged(tagRecord(full?.Role?.Tags), names.prefix)) roles.push(RoleName);
    }
    roleMarker = page.IsTruncated ? page.Marker : undefined;
  } while (roleMarker);

  return { apis, functions, buckets, roles };
}
