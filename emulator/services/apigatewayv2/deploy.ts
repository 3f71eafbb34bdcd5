import { isoNow, newId } from './model.ts';
import type { ApiRecord, DeploymentRecord } from './types.ts';

/** Deployments kept besides those a stage points at. */
const KEEP_RECENT = 10;

/**
 * Snapshots what the API serves now (routes, integrations, CORS) as a new deployment.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html
 */
export function deploy(
  api: ApiRecord,
  options: { autoDeployed: boolean; description?: string },
): DeploymentRecord {
  const deployment: DeploymentRecord = {
    deploymentId: newId(api.deployments, 6),
    createdDate: isoNow(),
    autoDeployed: options.autoDeployed,
    deploymentStatus: 'DEPLOYED',
    ...(options.description !== undefined && { description: options.description }),
    snapshot: structuredClone({
      routes: Object.values(api.routes),
      integrations: api.integrations,
      ...(api.corsConfiguration && { cors: api.corsConfiguration }),
    }),
  };
  api.deployments[deployment.deploymentId] = deployment;
  prune(api, deployment.deploymentId);
  return deployment;
}

/** Points a stage at a deployment, as a deploy (manual or automatic) does. */
export function activate(api: ApiRecord, stageName: string, deploymentId: string): void {
  const stage = api.stages[stageName];
  if (!stage) return;
  stage.deploymentId = deploymentId;
  stage.lastUpdatedDate = isoNow();
  stage.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deploymentId}'`;
}

/** After a change to the API: stages with `autoDeploy` serve it at once (AWS does so within seconds). */
export function autoDeploy(api: ApiRecord): void {
  const stages = Object.values(api.stages).filter((s) => s.autoDeploy);
  if (stages.length === 0) return;
  const deployment = deploy(api, { autoDeployed: true });
  for (const stage of stages) activate(api, stage.stageName, deployment.deploymentId);
}

/** Keeps `keep`, the deployments a stage uses and the most recent few; older snapshots go. */
function prune(api: ApiRecord, keep: string): void {
  const used = new Set([keep, ...Object.values(api.stages).map((s) => s.deploymentId)]);
  const byAge = Object.values(api.deployments).sort((a, b) => b.createdDate.localeCompare(a.createdDate));
  for (const [i, d] of byAge.entries())
    if (i >= KEEP_RECENT && !used.has(d.deploymentId)) delete api.deployments[d.deploymentId];
}
