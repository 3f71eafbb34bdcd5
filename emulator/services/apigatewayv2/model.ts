import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { JsonStore } from '../../storage/json-store.ts';
import { apiErrors } from './errors.ts';
import type { ApiRecord } from './types.ts';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lower-case alphanumerics, as AWS's ids (`a1b2c3d4e5` for APIs, 7 characters for routes). */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/** A fresh id not already a key of `taken`. */
export function newId(taken: Record<string, unknown>, length = 7): string {
  for (;;) {
    const id = randomId(length);
    if (!(id in taken)) return id;
  }
}

/** ISO-8601 without milliseconds, as API Gateway writes `createdDate`. */
export const isoNow = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * All HTTP APIs, one JSON record each under `<dataDir>/apigatewayv2/apis/` (routes,
 * integrations, stages and deployments live inside their API's record). Reads come from
 * memory; `save` resolves once the record is on disk.
 */
export class ApiModel {
  private constructor(private readonly store: JsonStore<ApiRecord>) {}

  static async open(dataDir: string): Promise<ApiModel> {
    return new ApiModel(await JsonStore.open<ApiRecord>(join(dataDir, 'apigatewayv2', 'apis')));
  }

  get(apiId: string): ApiRecord | undefined {
    return this.store.get(apiId);
  }

  /** The API, or AWS's NotFoundException. */
  require(apiId: string): ApiRecord {
    const api = this.store.get(apiId);
    if (!api) throw apiErrors.apiNotFound(apiId);
    return api;
  }

  /** Oldest first, so pages stay stable while APIs are added. */
  list(): ApiRecord[] {
    return this.store
      .values()
      .sort((a, b) => a.createdDate.localeCompare(b.createdDate) || a.apiId.localeCompare(b.apiId));
  }

  newApiId(): string {
    for (;;) {
      const id = randomId(10);
      if (!this.store.has(id)) return id;
    }
  }

  /**
   * Applies `change` to a copy of the API and saves it. Copy, change and save happen with no
   * await in between, so concurrent requests cannot interleave, and a change that throws
   * leaves the stored API as it was.
   */
  async update<T>(apiId: string, change: (api: ApiRecord) => T): Promise<T> {
    const api = structuredClone(this.require(apiId));
    const result = change(api);
    await this.save(api);
    return result;
  }

  save(api: ApiRecord): Promise<void> {
    return this.store.put(api.apiId, api);
  }

  remove(apiId: string): Promise<void> {
    return this.store.delete(apiId);
  }

  reset(): Promise<void> {
    return this.store.clear();
  }
}
