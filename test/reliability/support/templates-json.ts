import type { Template } from './wire-fuzz.ts';

/** What the JSON-API templates act on; all of it exists before the fuzz starts. */
export interface JsonTargets {
  roleArn: string;
  /** A function that is only invoked (an echo), never reconfigured. */
  invokeFunction: string;
  /** A function the fuzz may reconfigure, re-code and re-permission at will. */
  scratchFunction: string;
  zipBase64: string;
  /** An HTTP API the control-plane fuzz may change; routes go to `integrationId`. */
  scratchApi: string;
  integrationId: string;
  /** The HTTP API the data-plane fuzz calls (`POST /echo`, `GET /items/{id}`, CORS on). */
  dataApi: string;
}

const ARN = (fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}`;

/** Lambda's control plane and Invoke, and API Gateway v2's control plane, as the deploy and checks call them. */
export function controlPlaneTemplates(t: JsonTargets): Template[] {
  const lambda = (op: string, method: string, path: string, body?: Record<string, unknown>): Template => ({
    op,
    service: 'lambda',
    method,
    path,
    headers: [['Content-Type', 'application/json']],
    ...(body ? { body: { kind: 'json' as const, value: body } } : {}),
    expect: ['rest-json'],
  });
  const apigw = (op: string, method: string, path: string, body?: Record<string, unknown>): Template => ({
    ...lambda(op, method, path, body),
    service: 'apigateway',
  });
  const fn = `/2015-03-31/functions/${t.scratchFunction}`;
  const api = `/v2/apis/${t.scratchApi}`;
  const cors = {
    allowOrigins: ['http://localhost:5173'],
    allowMethods: ['POST', 'GET'],
    allowHeaders: ['content-type'],
    exposeHeaders: ['x-request-id'],
    maxAge: 300,
    allowCredentials: false,
  };
  return [
    lambda('CreateFunction', 'POST', '/2015-03-31/functions', {
      FunctionName: `${t.scratchFunction}-new`,
      Runtime: 'nodejs20.x',
      Role: t.roleArn,
      Handler: 'index.handler',
      Code: { ZipFile: t.zipBase64 },
      Timeout: 3,
      MemorySize: 128,
      Environment: { Variables: { UPLOAD_BUCKET: 'b', UPLOAD_PREFIX: 'incoming/' } },
      Tags: { lab: 'presigned-upload-lab' },
    }),
    { ...lambda('ListFunctions', 'GET', '/2015-03-31/functions'), queryKeys: ['MaxItems', 'Marker'] },
    { ...lambda('GetFunction', 'GET', fn), queryKeys: ['Qualifier'] },
    lambda('GetFunctionConfiguration', 'GET', `${fn}/configuration`),
    lambda('UpdateFunctionConfiguration', 'PUT', `${fn}/configuration`, {
      Timeout: 5,
      MemorySize: 256,
      Handler: 'index.handler',
      Environment: { Variables: { MAX_UPLOAD_BYTES: '1024' } },
    }),
    lambda('UpdateFunctionCode', 'PUT', `${fn}/code`, { ZipFile: t.zipBase64, Publish: false }),
    lambda('AddPermission', 'POST', `${fn}/policy`, {
      StatementId: 'apigateway-post-upload-url',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:us-east-1:000000000000:${t.scratchApi}/*/*/upload-url`,
    }),
    lambda('GetPolicy', 'GET', `${fn}/policy`),
    lambda('RemovePermission', 'DELETE', `${fn}/policy/no-such-sid`),
    lambda('TagResource', 'POST', `/2017-03-31/tags/${encodeURIComponent(ARN(t.scratchFunction))}`, {
      Tags: { 'lab:name': 'fuzz' },
    }),
    lambda('ListTags', 'GET', `/2017-03-31/tags/${encodeURIComponent(ARN(t.scratchFunction))}`),
    {
      ...lambda('Invoke', 'POST', `/2015-03-31/functions/${t.invokeFunction}/invocations`, {
        version: '2.0',
        routeKey: 'POST /upload-url',
        body: '{"filename":"a.png"}',
      }),
      headers: [
        ['X-Amz-Invocation-Type', 'RequestResponse'],
        ['X-Amz-Log-Type', 'Tail'],
        ['X-Amz-Client-Context', Buffer.from('{"custom":{"a":1}}').toString('base64')],
      ],
      queryKeys: ['Qualifier'],
    },
    apigw('CreateApi', 'POST', '/v2/apis', {
      name: 'fuzz-api-new',
      protocolType: 'HTTP',
      corsConfiguration: cors,
      tags: { lab: 'presigned-upload-lab' },
    }),
    { ...apigw('GetApis', 'GET', '/v2/apis'), queryKeys: ['maxResults', 'nextToken'] },
    apigw('GetApi', 'GET', api),
    apigw('UpdateApi', 'PATCH', api, { corsConfiguration: cors, description: 'fuzz' }),
    apigw('DeleteCorsConfiguration', 'DELETE', `${api}/cors`),
    apigw('CreateIntegration', 'POST', `${api}/integrations`, {
      integrationType: 'AWS_PROXY',
      integrationUri: ARN(t.invokeFunction),
      payloadFormatVersion: '2.0',
      integrationMethod: 'POST',
      timeoutInMillis: 30000,
    }),
    apigw('GetIntegrations', 'GET', `${api}/integrations`),
    apigw('CreateRoute', 'POST', `${api}/routes`, {
      routeKey: 'POST /upload-url',
      target: `integrations/${t.integrationId}`,
      authorizationType: 'NONE',
    }),
    apigw('GetRoutes', 'GET', `${api}/routes`),
    apigw('CreateStage', 'POST', `${api}/stages`, { stageName: 'dev', autoDeploy: true }),
    apigw('GetStages', 'GET', `${api}/stages`),
    apigw(
      'TagResource',
      'POST',
      `/v2/tags/${encodeURIComponent(`arn:aws:apigateway:us-east-1::/apis/${t.scratchApi}`)}`,
      {
        tags: { 'lab:name': 'fuzz' },
      },
    ),
  ];
}

/** The execute-api data plane of `dataApi`, as the browser and the checks call it. */
export function dataPlaneTemplates(t: JsonTargets): Template[] {
  const base = `/_aws/execute-api/${t.dataApi}`;
  const call = (op: string, method: string, path: string, extra: Partial<Template> = {}): Template => ({
    op,
    service: 'none',
    method,
    path: `${base}${path}`,
    fixedSegments: 4,
    headers: [
      ['Origin', 'http://localhost:5173'],
      ['Content-Type', 'application/json'],
    ],
    expect: ['gateway'],
    ...extra,
  });
  return [
    call('POST /echo', 'POST', '/echo', {
      body: { kind: 'json', value: { filename: 'photo.png', contentType: 'image/png', size: 1234 } },
    }),
    call('GET /items/{id}', 'GET', '/items/42', { queryKeys: ['limit', 'cursor'] }),
    call('preflight', 'OPTIONS', '/echo', {
      headers: [
        ['Origin', 'http://localhost:5173'],
        ['Access-Control-Request-Method', 'POST'],
        ['Access-Control-Request-Headers', 'content-type'],
      ],
    }),
    call('no route', 'GET', '/nowhere'),
    // An unknown or empty API id: API Gateway's 404, or (no id at all) not an HTTP API path → S3.
    {
      ...call('unknown API', 'GET', '/echo'),
      path: '/_aws/execute-api/nosuchapi/echo',
      fixedSegments: 3,
      expect: ['gateway', 'rest-xml'],
    },
  ];
}
