import { apiErrors } from './errors.ts';
import type { ApiRecord } from './types.ts';

/** What a regional view needs of the store of all APIs (`ApiModel`). */
export interface ApiDirectory {
  byId(apiId: string): ApiRecord | undefined;
  all(): ApiRecord[];
  newApiId(): string;
  save(api: ApiRecord): Promise<void>;
  remove(apiId: string): Promise<void>;
}

/**
 * The HTTP APIs of one region, as a control-plane request signed for that region sees them.
 * An API of another region does not exist here: reading, changing or deleting it answers the
 * same NotFoundException as an unknown id, and `list` leaves it out (GetApis is per region).
 * https://docs.aws.amazon.com/general/latest/gr/apigateway.html (regional endpoints)
 */
export class RegionalApis {
  constructor(
    private readonly model: ApiDirectory,
    readonly region: string,
  ) {}

  get(apiId: string): ApiRecord | undefined {
    const api = this.model.byId(apiId);
    return api?.region === this.region ? api : undefined;
  }

  /** The API, or AWS's NotFoundException (also for an API of another region). */
  require(apiId: string): ApiRecord {
    const api = this.get(apiId);
    if (!api) throw apiErrors.apiNotFound(apiId);
    return api;
  }

  /** This region's APIs, oldest first. */
  list(): ApiRecord[] {
    return this.model.all().filter((api) => api.region === this.region);
  }

  /** A fresh API id (unique across all regions). */
  newApiId(): string {
    return this.model.newApiId();
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

  /** Saves an API of this region (a record naming another region is a bug, not a request error). */
  save(api: ApiRecord): Promise<void> {
    if (api.region !== this.region)
      throw new Error(`apigatewayv2: saving API ${api.apiId} of ${api.region} through ${this.region}`);
    return this.model.save(api);
  }

  async remove(apiId: string): Promise<void> {
    await this.model.remove(this.require(apiId).apiId);
  }
}
