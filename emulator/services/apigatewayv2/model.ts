import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Consistency } from '../../core/consistency.ts';
import { SettingHistory } from '../../core/setting-history.ts';
import { JsonStore } from '../../storage/json-store.ts';
import { RegionalApis } from './regional-apis.ts';
import type { ApiRecord, DeployedApi, StageRecord } from './types.ts';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The region of an API stored before APIs were regional (records without `region`). */
export const DEFAULT_REGION = 'us-east-1';

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
 * All HTTP APIs of every region, one JSON record each under `<dataDir>/apigatewayv2/apis/`
 * (routes, integrations, stages and deployments live inside their API's record). APIs are
 * regional resources: each record carries its `region`, and the control plane sees only the
 * request's region through `inRegion`. Files stay keyed by API id alone, because ids are unique
 * across regions (the data plane finds an API by id whatever its region). Reads come from
 * memory; a save resolves once the record is on disk.
 */
export class ApiModel {
  /** `--consistency aws`: the deployment each stage served before its latest (auto-)deploy, by `apiId/stage`. */
  private readonly served: SettingHistory<string | undefined>;

  private constructor(
    private readonly store: JsonStore<ApiRecord>,
    consistency: Consistency,
  ) {
    this.served = new SettingHistory(consistency, 'httpApi');
  }

  static async open(dataDir: string, consistency = new Consistency()): Promise<ApiModel> {
    const store = await JsonStore.open<ApiRecord>(join(dataDir, 'apigatewayv2', 'apis'));
    // State written before APIs were regional has no `region`: those APIs were made with the
    // default region, so they load as us-east-1 (and are rewritten once in the current shape).
    for (const [apiId, api] of store.entries())
      if (typeof api.region !== 'string' || api.region === '')
        await store.put(apiId, { ...api, region: DEFAULT_REGION });
    return new ApiModel(store, consistency);
  }

  /**
   * What a stage serves now: its deployment, or with `--consistency aws` the one before it while
   * a (route, integration, CORS) change is being deployed (§11.4). Undefined: nothing yet.
   */
  deployedFor(api: ApiRecord, stage: StageRecord): DeployedApi | undefined {
    const id = this.served.inForce(`${api.apiId}/${stage.stageName}`, stage.deploymentId);
    const snapshot = id === undefined ? undefined : api.deployments[id]?.snapshot;
    // A snapshot pruned meanwhile (many changes within the delay): serve the newest.
    if (id !== undefined && !snapshot && stage.deploymentId !== undefined)
      return api.deployments[stage.deploymentId]?.snapshot;
    return snapshot;
  }

  /** The control plane's view: the APIs of one region. */
  inRegion(region: string): RegionalApis {
    return new RegionalApis(this, region);
  }

  /** The API with this id in any region (the data plane's lookup: ids are unique across regions). */
  byId(apiId: string): ApiRecord | undefined {
    return this.store.get(apiId);
  }

  /** Every API of every region, oldest first (so pages stay stable while APIs are added). */
  all(): ApiRecord[] {
    return this.store
      .values()
      .sort((a, b) => a.createdDate.localeCompare(b.createdDate) || a.apiId.localeCompare(b.apiId));
  }

  /** A fresh API id, unique across all regions. */
  newApiId(): string {
    for (;;) {
      const id = randomId(10);
      if (!this.store.has(id)) return id;
    }
  }

  save(api: ApiRecord): Promise<void> {
    const before = this.store.get(api.apiId);
    for (const stage of Object.values(api.stages)) {
      const was = before?.stages[stage.stageName]?.deploymentId;
      if (was !== stage.deploymentId) this.served.replaced(`${api.apiId}/${stage.stageName}`, was);
    }
    return this.store.put(api.apiId, api);
  }

  remove(apiId: string): Promise<void> {
    return this.store.delete(apiId);
  }

  reset(): Promise<void> {
    this.served.clear();
    return this.store.clear();
  }
}
