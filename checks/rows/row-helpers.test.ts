import type { Route } from '@aws-sdk/client-apigatewayv2';
import { describe, expect, it } from 'vitest';
import { originAllowed } from './api-cors.ts';
import { nearMiss } from './upload-route.ts';

const routes = (...keys: string[]): Route[] => keys.map((RouteKey) => ({ RouteKey }) as Route);

describe('API CORS origins', () => {
  it('allows exact origins, *, and scheme wildcards as API Gateway does', () => {
    expect(originAllowed(['http://localhost:5173'], 'http://localhost:5173')).toBe(true);
    expect(originAllowed(['*'], 'http://localhost:5173')).toBe(true);
    expect(originAllowed(['http://*'], 'http://localhost:5173')).toBe(true);
    expect(originAllowed(['https://*'], 'http://localhost:5173')).toBe(false);
    expect(originAllowed(['http://localhost:5173/'], 'http://localhost:5173')).toBe(false);
  });
});

describe('routes the student probably meant', () => {
  it('tells a wrong method from a wrong path', () => {
    expect(nearMiss(routes('GET /files', 'GET /upload-url'))?.kind).toBe('wrong-method');
    expect(nearMiss(routes('GET /files', 'POST /upload'))?.kind).toBe('wrong-path');
    expect(nearMiss(routes('GET /files', 'POST /upload_url'))?.kind).toBe('wrong-path');
    expect(nearMiss(routes('GET /files'))).toBeUndefined();
  });
});
