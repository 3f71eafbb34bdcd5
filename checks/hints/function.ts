import { code, list } from './format.ts';

export const functionHints = {
  'ticket-function.not-ready': (v: { name: string; state: string }) =>
    `Function ${code(v.name)} is ${v.state}: Lambda does not run a function while it is being created, and runs ` +
    `the previous code while an update is in progress. Check again once it is Active with its last update ` +
    `Successful (\`aws lambda wait function-updated-v2 --function-name ${v.name}\` waits for that).`,
  'ticket-function.missing': (v: { name: string }) =>
    `There is no Lambda function ${code(v.name)}. Create it from lab/functions/upload-ticket (LAB.md, step ` +
    `"Create upload-ticket Lambda"), or pass --function NAME if you gave it another name.`,
  'ticket-function.no-upload-bucket': (v: { name: string; bucket: string; variables: string[] }) =>
    `Function ${code(v.name)} has environment variables ${list(v.variables)} but no \`UPLOAD_BUCKET\`, so it cannot ` +
    `tell which bucket to sign for. Add \`UPLOAD_BUCKET=${v.bucket}\` (Configuration → Environment variables).`,
  'ticket-function.wrong-bucket': (v: { seen: string; bucket: string }) =>
    `\`UPLOAD_BUCKET\` is ${code(v.seen)}, but the lab's bucket is ${code(v.bucket)}. Set \`UPLOAD_BUCKET=${v.bucket}\`.`,
  'ticket-function.crashed': (v: { errorType: string; errorMessage: string }) =>
    `The function threw ${code(`${v.errorType}: ${v.errorMessage}`)} (its log tail is below). Fix that error in ` +
    `the function's code or configuration and deploy it again.`,
  'ticket-function.bad-status': (v: { status: number; body: string }) =>
    `For a valid request the function answered status ${v.status} (${code(v.body)}). Return status 200 with ` +
    `\`{upload: {url, fields}, object_key}\` as the JSON body.`,
  'ticket-function.bad-shape': (v: { missing: string[] }) =>
    `The function's answer lacks ${list(v.missing)}. Return \`{upload: {url, fields}, object_key, expires_in, ` +
    `max_bytes}\`, with \`url\` and \`fields\` exactly as createPresignedPost gives them.`,
  'ticket-function.key-outside-prefix': (v: { key: string; prefix: string }) =>
    `The ticket's key is ${code(v.key)}; uploads must land under ${code(v.prefix)}, where the dashboard's pipeline ` +
    `looks. Build the key as \`${v.prefix}<unique id>-<filename>\`.`,
  'ticket-function.no-400': (v: { status: number }) =>
    `For a request without a filename the function answered ${v.status}; it should answer 400 with ` +
    `\`{error, code}\`. Validate the request body before you sign a ticket.`,

  'put-permission.missing': (v: { role: string; wanted: string }) =>
    `Role ${code(v.role)} has no policy allowing \`s3:PutObject\`, so S3 refuses uploads signed with the ticket ` +
    `(AccessDenied). Add an inline policy allowing \`s3:PutObject\` on ${code(v.wanted)}.`,
  'put-permission.bucket-arn-only': (v: { role: string; resource: string; wanted: string }) =>
    `Role ${code(v.role)} allows \`s3:PutObject\` on ${code(v.resource)}, the bucket itself; an upload writes an ` +
    `object, ${code(v.wanted)}. Change the statement's Resource to ${code(v.wanted)}.`,
  'put-permission.wrong-prefix': (v: { role: string; resources: string[]; wanted: string }) =>
    `Role ${code(v.role)} allows \`s3:PutObject\` on ${list(v.resources)}; tickets put files at ${code(v.wanted)}. ` +
    `Change the statement's Resource to ${code(v.wanted)}.`,
  'put-permission.explicit-deny': (v: { role: string; source: string }) =>
    `A Deny statement in ${code(v.source)} (role ${code(v.role)}) blocks \`s3:PutObject\` for the upload key. ` +
    `Remove it or narrow it so it does not cover the upload prefix.`,
  'put-permission.policy-condition': (v: { condition: string; fields: string[] }) =>
    `S3 refused the upload: \`Policy Condition failed: ${v.condition}\`. The ticket's policy requires something the ` +
    `form does not send (it sends ${list(v.fields)} and the file). Return that field in \`fields\` ` +
    `(createPresignedPost's \`Fields\`), or drop the condition.`,
  'put-permission.upload-refused': (v: { status: number; code: string; message: string }) =>
    `S3 refused an upload made with a fresh ticket: ${v.status} ${code(v.code)} "${v.message}". ` +
    `Check the credentials the function signs with (its execution role) and the ticket's policy.`,

  'upload-route.missing': (v: { routes: string[]; fn: string }) =>
    `Your API has routes ${list(v.routes)}; none is \`POST /upload-url\`. Create the route \`POST /upload-url\` ` +
    `with a Lambda integration to ${code(v.fn)}.`,
  'upload-route.wrong-method': (v: { routeKey: string }) =>
    `Your route is ${code(v.routeKey)}; the upload form sends \`POST\`. Change the route's method to POST ` +
    `(\`POST /upload-url\`).`,
  'upload-route.wrong-path': (v: { routeKey: string }) =>
    `Your route is ${code(v.routeKey)}; the upload form calls \`/upload-url\`. Change the route to \`POST /upload-url\`.`,
  'upload-route.no-integration': (v: { routeKey: string; fn: string }) =>
    `Route ${code(v.routeKey)} has no integration, so API Gateway has nothing to call. Attach a Lambda ` +
    `integration to ${code(v.fn)}.`,
  'upload-route.wrong-function': (v: { seen: string; fn: string }) =>
    `Route \`POST /upload-url\` calls ${code(v.seen)}; it should call the ticket function ${code(v.fn)}. ` +
    `Point the integration at ${code(v.fn)}.`,
  'upload-route.payload-version': (v: { seen: string }) =>
    `The route's integration uses payload format ${code(v.seen)}; the ticket function reads HTTP API 2.0 events. ` +
    `Set the integration's payload format version to \`2.0\`.`,
  'upload-route.no-invoke-permission': (v: { fn: string; sourceArn: string }) =>
    `Function ${code(v.fn)} does not let API Gateway invoke it for this API, so the route answers 500. Add a ` +
    `resource-based permission: \`aws lambda add-permission --function-name ${v.fn} --statement-id apigateway-post-upload-url ` +
    `--action lambda:InvokeFunction --principal apigateway.amazonaws.com --source-arn '${v.sourceArn}'\`.`,
  'upload-route.live-call-failed': (v: { status: number; body: string }) =>
    `POST /upload-url answered ${v.status} (${code(v.body)}) although route, integration and permission look right. ` +
    `Open the function's logs for the error.`,
} as const;
