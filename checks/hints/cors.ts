import { code, list } from './format.ts';

const apiCorsWhere =
  'API Gateway console → your API → CORS, or `aws apigatewayv2 update-api --cors-configuration`';

export const corsHints = {
  'api-cors.not-configured': (v: { api: string; origin: string }) =>
    `Your API ${code(v.api)} has no CORS configuration, so the browser refuses to call it from ${code(v.origin)}. ` +
    `Configure CORS (${apiCorsWhere}): allow origin ${code(v.origin)}, method \`POST\` and header \`content-type\`.`,
  'api-cors.origin-missing': (v: { allowed: string[]; origin: string }) =>
    `Your API allows origins ${list(v.allowed)}; the upload form runs at ${code(v.origin)}. ` +
    `Add ${code(v.origin)} to the API's CORS allowed origins (${apiCorsWhere}).`,
  'api-cors.origin-trailing-slash': (v: { seen: string; origin: string }) =>
    `Your API allows origin ${code(v.seen)}, with a trailing slash; browsers send the origin as ${code(v.origin)} ` +
    `(scheme, host and port, nothing after). Replace ${code(v.seen)} with ${code(v.origin)} in the API's CORS allowed origins.`,
  'api-cors.method-missing': (v: { allowed: string[] }) =>
    `Your API allows methods ${list(v.allowed)}; the upload form sends \`POST\` to /upload-url. ` +
    `Add \`POST\` to the API's CORS allowed methods.`,
  'api-cors.header-missing': (v: { allowed: string[] }) =>
    `Your API allows headers ${list(v.allowed)}; the upload form sends \`content-type\`. ` +
    `Add \`content-type\` to the API's CORS allowed headers.`,
  'api-cors.preflight-routed': (v: { routeKey: string }) =>
    `Your route ${code(v.routeKey)} also receives the browser's OPTIONS preflight, so API Gateway hands it to your ` +
    `function instead of answering it with the CORS headers. Use a method-specific route, \`POST /upload-url\`.`,
  'api-cors.preflight-rejected': (v: { api: string; status: number; allowOrigin: string }) =>
    `The CORS settings look right, but a preflight to /upload-url answered ${v.status} with ` +
    `access-control-allow-origin ${code(v.allowOrigin || '(none)')}. Check that you saved CORS on API ${code(v.api)}, ` +
    `the one your frontend's config.js points at.`,

  'bucket-cors.missing': (v: { bucket: string; origin: string }) =>
    `Bucket ${code(v.bucket)} has no CORS configuration, so S3 refuses the browser's preflight for the upload and the page never sends the file. ` +
    `Add a CORS rule (S3 console → bucket → Permissions → CORS) with AllowedOrigins ${code(v.origin)}, ` +
    `AllowedMethods \`POST\`, AllowedHeaders \`*\` and ExposeHeaders \`ETag\`.`,
  'bucket-cors.origin-missing': (v: { allowed: string[]; origin: string }) =>
    `Your bucket's CORS rules allow origins ${list(v.allowed)}; the upload form runs at ${code(v.origin)}. ` +
    `Add ${code(v.origin)} to AllowedOrigins (no trailing slash).`,
  'bucket-cors.origin-trailing-slash': (v: { seen: string; origin: string }) =>
    `Your bucket's CORS rule allows origin ${code(v.seen)}, with a trailing slash; browsers send ${code(v.origin)}. ` +
    `Replace ${code(v.seen)} with ${code(v.origin)} in AllowedOrigins.`,
  'bucket-cors.no-post': (v: { origin: string; methods: string[] }) =>
    `Your bucket's CORS rule for ${code(v.origin)} allows methods ${list(v.methods)}; the browser uploads with \`POST\`. ` +
    `Add \`POST\` to that rule's AllowedMethods.`,
  'bucket-cors.etag-not-exposed': (v: { exposed: string[] }) =>
    `Your bucket's CORS rule exposes headers ${list(v.exposed)}; the page reads the \`ETag\` of S3's answer to confirm ` +
    `the upload. Add \`ETag\` to the rule's ExposeHeaders.`,
  'bucket-cors.preflight-rejected': (v: { status: number; code: string; message: string }) =>
    `The CORS rules look right, but S3 refused a preflight from the frontend's origin: ${v.status} ${code(v.code)} ` +
    `"${v.message}". Check the rule's AllowedOrigins, AllowedMethods and AllowedHeaders for typos.`,
} as const;
