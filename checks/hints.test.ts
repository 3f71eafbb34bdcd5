import { describe, expect, it } from 'vitest';
import { hint, hintIds, type HintId, type HintValues } from './hints.ts';
import { ROW_IDS } from './row-ids.ts';

/** One sample of what each hint is given; typed, so a new hint without a sample does not compile. */
const samples: { [K in HintId]: HintValues<K> } = {
  'api-cors.not-configured': { api: 'a1b2', origin: 'http://localhost:5173' },
  'api-cors.origin-missing': { allowed: ['https://example.com'], origin: 'http://localhost:5173' },
  'api-cors.origin-trailing-slash': { seen: 'http://localhost:5173/', origin: 'http://localhost:5173' },
  'api-cors.method-missing': { allowed: ['GET'] },
  'api-cors.header-missing': { allowed: ['authorization'] },
  'api-cors.preflight-routed': { routeKey: 'ANY /upload-url' },
  'api-cors.preflight-rejected': { api: 'a1b2', status: 404, allowOrigin: '' },
  'bucket-cors.missing': { bucket: 'lab-bucket', origin: 'http://localhost:5173' },
  'bucket-cors.origin-missing': { allowed: ['http://localhost:3000'], origin: 'http://localhost:5173' },
  'bucket-cors.origin-trailing-slash': { seen: 'http://localhost:5173/', origin: 'http://localhost:5173' },
  'bucket-cors.no-post': { origin: 'http://localhost:5173', methods: ['GET', 'PUT'] },
  'bucket-cors.etag-not-exposed': { exposed: [] },
  'bucket-cors.preflight-rejected': { status: 403, code: 'AccessForbidden', message: 'CORSResponse: …' },
  'ticket-function.not-ready': { name: 'upload-lab-upload-ticket', state: 'Pending' },
  'ticket-function.missing': { name: 'upload-lab-upload-ticket' },
  'ticket-function.no-upload-bucket': { name: 'fn', bucket: 'lab-bucket', variables: ['UPLOAD_PREFIX'] },
  'ticket-function.wrong-bucket': { seen: 'other-bucket', bucket: 'lab-bucket' },
  'ticket-function.crashed': { errorType: 'Error', errorMessage: 'UPLOAD_BUCKET is not set' },
  'ticket-function.bad-status': { status: 502, body: '{"message":"x"}' },
  'ticket-function.bad-shape': { missing: ['upload.fields'] },
  'ticket-function.key-outside-prefix': { key: 'photo.png', prefix: 'incoming/' },
  'ticket-function.no-400': { status: 200 },
  'put-permission.missing': { role: 'role-x', wanted: 'arn:aws:s3:::lab-bucket/incoming/*' },
  'put-permission.bucket-arn-only': {
    role: 'role-x',
    resource: 'arn:aws:s3:::lab-bucket',
    wanted: 'arn:aws:s3:::lab-bucket/incoming/*',
  },
  'put-permission.wrong-prefix': {
    role: 'role-x',
    resources: ['arn:aws:s3:::lab-bucket/uploads/*'],
    wanted: 'arn:aws:s3:::lab-bucket/incoming/*',
  },
  'put-permission.explicit-deny': { role: 'role-x', source: 'inline:deny-all' },
  'put-permission.policy-condition': {
    condition: '["starts-with", "$Content-Type", "image/"]',
    fields: ['key', 'Policy'],
  },
  'put-permission.upload-refused': {
    status: 400,
    code: 'ExpiredToken',
    message: 'The provided token has expired.',
  },
  'upload-route.missing': { routes: ['GET /files'], fn: 'fn' },
  'upload-route.wrong-method': { routeKey: 'GET /upload-url' },
  'upload-route.wrong-path': { routeKey: 'POST /upload' },
  'upload-route.no-integration': { routeKey: 'POST /upload-url', fn: 'fn' },
  'upload-route.wrong-function': { seen: 'list-files', fn: 'fn' },
  'upload-route.payload-version': { seen: '1.0' },
  'upload-route.no-invoke-permission': {
    fn: 'fn',
    sourceArn: 'arn:aws:execute-api:us-east-1:1:a1b2/*/*/upload-url',
  },
  'upload-route.live-call-failed': { status: 500, body: '{"message":"Internal Server Error"}' },
  'browser-upload.page-not-loading': { url: 'http://localhost:5173/app/', problem: 'status 404' },
  'browser-upload.conventions': {
    url: 'http://localhost:5173/app/',
    missing: ['form[data-lab="upload-form"]'],
  },
  'browser-upload.no-ticket-request': { endpoint: 'http://localhost:4566/_aws/execute-api/a1b2' },
  'browser-upload.ticket-refused': { status: 400, body: '{"error":"filename is required"}' },
  'browser-upload.cors-api': {
    message: "Access to fetch at 'x' has been blocked by CORS policy",
    extraHeaders: ['x-requested-with'],
  },
  'browser-upload.cors-bucket': { message: "Access to fetch at 'y' has been blocked by CORS policy" },
  'browser-upload.through-api': { url: 'http://api/upload', bucketUrl: 'http://localhost:4566/lab-bucket' },
  'browser-upload.no-bucket-post': { bucketUrl: 'http://localhost:4566/lab-bucket' },
  'browser-upload.policy-condition': { condition: '["eq", "$key", "incoming/a"]' },
  'browser-upload.s3-refused': { status: 403, code: 'AccessDenied', message: 'Access Denied' },
  'browser-upload.not-reported': { state: '', text: 'Uploading…' },
  'browser-upload.not-stored': { key: 'incoming/a' },
  'browser-upload.wrong-bytes': { key: 'incoming/a', size: 27, wanted: 48 },
  'dashboard.no-notification': { bucket: 'lab-bucket', fn: 'meta' },
  'dashboard.notification-put-only': { events: ['s3:ObjectCreated:Put'] },
  'dashboard.notification-wrong-prefix': { prefix: 'uploads/', key: 'incoming/a', wanted: 'incoming/' },
  'dashboard.not-listed': { key: 'incoming/a', seconds: 15, record: 'metadata/a.json', recordExists: false },
  'dashboard.page-not-updated': { key: 'incoming/a' },
  'bucket-private.public-read': { url: 'http://localhost:4566/lab-bucket/incoming/a', status: 200 },
  'bucket-private.public-acl': {
    url: 'http://localhost:4566/lab-bucket/incoming/a',
    status: 200,
    grants: ['AllUsers READ'],
    ownership: 'ObjectWriter',
  },
  'bucket-private.public-policy': {
    bucket: 'lab-bucket',
    off: ['BlockPublicPolicy'],
    statements: ['AnyoneUploads (s3:PutObject)'],
  },
  'bucket-private.public-list': { url: 'http://localhost:4566/lab-bucket/?list-type=2', status: 200 },
  'bucket-private.block-public-access-off': { bucket: 'lab-bucket', off: ['BlockPublicPolicy'] },
  'ticket-scope.key-not-confined': {
    triedKey: 'outside.txt',
    condition: '["starts-with", "$key", ""]',
    prefix: 'incoming/',
  },
  'ticket-scope.expiry-too-long': { seconds: 3600 },
  'ticket-scope.no-size-limit': undefined,
  'ticket-scope.size-limit-too-high': { max: 5_000_000_000, maxBytes: 10_485_760 },
  'ticket-scope.extra-field-accepted': { field: 'x-amz-meta-lab-extra' },
};

const render = (id: HintId) =>
  (hint as (id: HintId, v?: unknown) => { id: string; text: string })(id, samples[id]);

describe('the hint catalog', () => {
  it('names every hint after the row that gives it', () => {
    for (const id of hintIds) expect(ROW_IDS).toContain(id.split('.')[0]);
  });

  it.each(hintIds)('%s shows the values seen and says what to do', (id) => {
    const { text } = render(id);
    expect(text).not.toMatch(/undefined|\[object Object\]|NaN/);
    expect(text.trim()).toMatch(/[.)`]$/);
    const values = Object.values((samples[id] ?? {}) as Record<string, unknown>).flatMap((v) =>
      Array.isArray(v) ? v : [v],
    );
    for (const v of values) if (typeof v === 'string' && v.length > 0) expect(text).toContain(v);
    expect(text).toMatch(
      /\b(Add|Set|Change|Remove|Create|Use|Fix|Point|Sign|Pass|Return|Render|Check|Make|Post|Send|Report|Start|Configure|Validate|Open|Replace|Build|Attach|Mark|Delete|Turn|Stop|Allow)\b/,
    );
  });

  it('speaks in the student terms of the style guide', () => {
    expect(render('api-cors.header-missing').text).toBe(
      'Your API allows headers `authorization`; the upload form sends `content-type`. ' +
        "Add `content-type` to the API's CORS allowed headers.",
    );
    expect(hint('api-cors.header-missing', { allowed: [] }).text).toMatch(/^Your API allows headers none;/);
  });
});
