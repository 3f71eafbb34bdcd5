/**
 * The floor for tickets: `node scripts/run.mjs bench/servers/ticket-baseline.ts`. A bare node:http
 * server that answers `POST /upload-url` by calling the reference upload-ticket handler in-process
 * with the HTTP API event it would get, and adds the CORS headers API Gateway would. Configured
 * through the function's own environment (UPLOAD_BUCKET, AWS_REGION, AWS_ENDPOINT_URL,
 * credentials).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handler } from '../../solution/functions/upload-ticket/handler.ts';
import { announce, stopWith } from '../lib/child.ts';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/upload-url')
      return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    void handler({
      version: '2.0',
      routeKey: 'POST /upload-url',
      rawPath: '/upload-url',
      rawQueryString: '',
      headers,
      requestContext: { http: { method: 'POST', path: '/upload-url' } },
      body: Buffer.concat(chunks).toString('utf8'),
      isBase64Encoded: false,
    }).then((result) => {
      const origin = req.headers.origin;
      res.writeHead(result.statusCode, {
        ...result.headers,
        ...(origin ? { 'access-control-allow-origin': origin, vary: 'origin' } : {}),
      });
      res.end(result.body);
    });
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () =>
  announce({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
);
stopWith(() => {
  server.closeAllConnections();
  server.close();
});
