import { sendJson } from '../../protocols/rest-json.ts';
import type { Call } from './call.ts';
import { activate, deploy } from './deploy.ts';
import { apiErrors } from './errors.ts';
import { Input } from './input.ts';
import { isoNow } from './model.ts';
import { checkStageName, newStage } from './records.ts';
import type { ApiRecord } from './types.ts';
import { page, toDeployment, toStage } from './wire.ts';

const apiIdOf = (call: Call) => call.params['apiId']!;

function stage(api: ApiRecord, stageName: string) {
  const found = api.stages[stageName];
  if (!found) throw apiErrors.stageNotFound();
  return found;
}

function checkDeployment(api: ApiRecord, deploymentId: string | undefined): void {
  if (deploymentId !== undefined && !api.deployments[deploymentId])
    throw apiErrors.deploymentNotFound(deploymentId);
}

/** CreateStage; an auto-deploying stage is deployed at once. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages.html */
export async function createStage(call: Call): Promise<void> {
  const input = await Input.read(call.ctx);
  const created = await call.model.update(apiIdOf(call), (api) => {
    const stageName = input.requiredString('stageName');
    checkStageName(api, stageName);
    const deploymentId = input.string('deploymentId');
    checkDeployment(api, deploymentId);
    const description = input.string('description');
    api.stages[stageName] = newStage(stageName, {
      autoDeploy: input.boolean('autoDeploy') ?? false,
      stageVariables: input.stringMap('stageVariables') ?? {},
      tags: input.stringMap('tags') ?? {},
      ...(description !== undefined && { description }),
    });
    if (api.stages[stageName]!.autoDeploy)
      activate(api, stageName, deploy(api, { autoDeployed: true }).deploymentId);
    else if (deploymentId !== undefined) activate(api, stageName, deploymentId);
    return api.stages[stageName]!;
  });
  sendJson(call.ctx, 201, toStage(created));
}

/** GetStage. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages-stagename.html */
export async function getStage(call: Call): Promise<void> {
  sendJson(call.ctx, 200, toStage(stage(call.model.require(apiIdOf(call)), call.params['stageName']!)));
}

/** GetStages. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages.html */
export async function getStages(call: Call): Promise<void> {
  const api = call.model.require(apiIdOf(call));
  sendJson(call.ctx, 200, page(call.ctx, Object.values(api.stages).map(toStage)));
}

/** UpdateStage; turning autoDeploy on deploys at once. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages-stagename.html */
export async function updateStage(call: Call): Promise<void> {
  const input = await Input.read(call.ctx);
  const updated = await call.model.update(apiIdOf(call), (api) => {
    const current = stage(api, call.params['stageName']!);
    const deploymentId = input.string('deploymentId');
    checkDeployment(api, deploymentId);
    const autoDeploy = input.boolean('autoDeploy');
    const description = input.string('description');
    const variables = input.stringMap('stageVariables');
    if (description !== undefined) current.description = description;
    if (variables) current.stageVariables = variables;
    current.lastUpdatedDate = isoNow();
    if (deploymentId !== undefined) activate(api, current.stageName, deploymentId);
    if (autoDeploy !== undefined) {
      const turnedOn = autoDeploy && !current.autoDeploy;
      current.autoDeploy = autoDeploy;
      if (turnedOn) activate(api, current.stageName, deploy(api, { autoDeployed: true }).deploymentId);
    }
    return current;
  });
  sendJson(call.ctx, 200, toStage(updated));
}

/** DeleteStage. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages-stagename.html */
export async function deleteStage(call: Call): Promise<void> {
  await call.model.update(apiIdOf(call), (api) => {
    delete api.stages[stage(api, call.params['stageName']!).stageName];
  });
  call.ctx.send(204, { 'x-amzn-RequestId': call.ctx.id });
}

/** CreateDeployment; with `stageName`, that stage serves it. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-deployments.html */
export async function createDeployment(call: Call): Promise<void> {
  const input = await Input.read(call.ctx);
  const created = await call.model.update(apiIdOf(call), (api) => {
    const stageName = input.string('stageName');
    if (stageName !== undefined) stage(api, stageName);
    const description = input.string('description');
    const deployment = deploy(api, {
      autoDeployed: false,
      ...(description !== undefined && { description }),
    });
    if (stageName !== undefined) activate(api, stageName, deployment.deploymentId);
    return deployment;
  });
  sendJson(call.ctx, 201, toDeployment(created));
}

/** GetDeployment. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-deployments-deploymentid.html */
export async function getDeployment(call: Call): Promise<void> {
  const api = call.model.require(apiIdOf(call));
  const deployment = api.deployments[call.params['deploymentId']!];
  if (!deployment) throw apiErrors.deploymentNotFound(call.params['deploymentId']!);
  sendJson(call.ctx, 200, toDeployment(deployment));
}

/** GetDeployments. https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-deployments.html */
export async function getDeployments(call: Call): Promise<void> {
  const api = call.model.require(apiIdOf(call));
  const newestFirst = Object.values(api.deployments).sort((a, b) =>
    b.createdDate.localeCompare(a.createdDate),
  );
  sendJson(call.ctx, 200, page(call.ctx, newestFirst.map(toDeployment)));
}
