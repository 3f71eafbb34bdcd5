import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { describe, expect, it } from 'vitest';
import { httpApiEvent } from './http-api-event.ts';
import { headerList, parseS3Error, postForm, redact, snippet } from './http.ts';
import { metadataKeyFor } from './uploads.ts';

describe('S3 errors', () => {
  it('reads code, message and the failed condition', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Invalid according to Policy: ' +
      'Policy Condition failed: [&quot;starts-with&quot;, &quot;$Content-Type&quot;, &quot;image/&quot;]</Message></Error>';
    expect(parseS3Error(xml)).toEqual({
      code: 'AccessDenied',
      message:
        'Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]',
      condition: '["starts-with", "$Content-Type", "image/"]',
    });
    expect(parseS3Error('not xml')).toBeUndefined();
  });

  it('splits CORS header lists', () => {
    expect(headerList('GET, POST,content-Type')).toEqual(['get', 'post', 'content-type']);
    expect(headerList(undefined)).toEqual([]);
  });
});

describe('evidence', () => {
  it("never carries a ticket's signing secrets", () => {
    const body = JSON.stringify({
      upload: {
        fields: {
          key: 'incoming/a',
          'X-Amz-Security-Token': 'SECRET1',
          Policy: 'SECRET2',
          'X-Amz-Signature': 'SECRET3',
          'X-Amz-Credential': 'ASIA/x',
        },
      },
    });
    const out = snippet(body, 1000);
    expect(out).toContain('"key":"incoming/a"');
    expect(out).not.toMatch(/SECRET|ASIA/);
    expect(redact('"policy": "abc"')).toBe('"policy": "…"');
  });
});

describe('postForm', () => {
  it('sends every field in order, then the file last, as the browser does', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const bb = busboy({ headers: req.headers });
      bb.on('field', (name) => seen.push(name));
      bb.on('file', (name, stream, info) => {
        seen.push(`${name}:${info.filename}`);
        stream.resume();
      });
      bb.on('close', () => res.writeHead(204, { origin: req.headers.origin ?? '' }).end());
      req.pipe(bb);
    }).listen(0);
    await new Promise((r) => server.once('listening', r));
    const url = `http://localhost:${(server.address() as AddressInfo).port}/bucket`;
    const out = await postForm(
      url,
      { key: 'incoming/a', Policy: 'p', 'X-Amz-Signature': 's' },
      { name: 'a.txt', type: 'text/plain', body: 'x' },
      { Origin: 'http://o' },
    );
    server.close();
    expect(out.status).toBe(204);
    expect(out.headers['origin']).toBe('http://o');
    expect(seen).toEqual(['key', 'Policy', 'X-Amz-Signature', 'file:a.txt']);
  });
});

describe('the HTTP API 2.0 event', () => {
  it('has the fields a handler reads', () => {
    const e = httpApiEvent({
      method: 'POST',
      path: '/upload-url',
      body: '{}',
      apiId: 'a1',
      region: 'us-east-1',
      account: '1',
    }) as {
      version: string;
      routeKey: string;
      body: string;
      requestContext: { http: { method: string }; time: string };
    };
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'POST /upload-url',
      body: '{}',
      requestContext: { http: { method: 'POST' } },
    });
    expect(e.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  });
});

describe('metadata records', () => {
  it('maps incoming/<name> to metadata/<name>.json', () => {
    expect(metadataKeyFor('incoming/abc-photo.png', 'incoming/', 'metadata/')).toBe(
      'metadata/abc-photo.png.json',
    );
    expect(metadataKeyFor('elsewhere/x', 'incoming/', 'metadata/')).toBeUndefined();
  });
});
