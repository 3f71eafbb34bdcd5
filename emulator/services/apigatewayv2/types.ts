/** The state of one HTTP API, as stored (one JSON file per API) and served. Wire names are camelCase. */

/** `Cors` in the API reference. */
export interface CorsConfig {
  allowCredentials?: boolean;
  allowHeaders?: string[];
  allowMethods?: string[];
  allowOrigins?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

export interface RouteRecord {
  routeId: string;
  routeKey: string;
  target?: string;
  authorizationType: string;
  apiKeyRequired: boolean;
  apiGatewayManaged?: boolean;
  authorizationScopes?: string[];
  authorizerId?: string;
  operationName?: string;
  requestParameters?: Record<string, { required: boolean }>;
}

export interface IntegrationRecord {
  integrationId: string;
  integrationType: string;
  integrationUri?: string;
  integrationMethod?: string;
  payloadFormatVersion: string;
  timeoutInMillis: number;
  connectionType: string;
  description?: string;
  apiGatewayManaged?: boolean;
  requestParameters?: Record<string, string>;
}

export interface StageRecord {
  stageName: string;
  autoDeploy: boolean;
  createdDate: string;
  lastUpdatedDate: string;
  stageVariables: Record<string, string>;
  tags: Record<string, string>;
  description?: string;
  deploymentId?: string;
  apiGatewayManaged?: boolean;
  lastDeploymentStatusMessage?: string;
}

/** What a stage serves: the API's routes, integrations and CORS at the time of a deployment. */
export interface DeployedApi {
  routes: RouteRecord[];
  integrations: Record<string, IntegrationRecord>;
  cors?: CorsConfig;
}

export interface DeploymentRecord {
  deploymentId: string;
  createdDate: string;
  autoDeployed: boolean;
  deploymentStatus: 'DEPLOYED';
  description?: string;
  snapshot: DeployedApi;
}

export interface ApiRecord {
  apiId: string;
  /** The region the API was created in (from the request's credential scope). */
  region: string;
  name: string;
  protocolType: string;
  routeSelectionExpression: string;
  apiKeySelectionExpression: string;
  createdDate: string;
  disableExecuteApiEndpoint: boolean;
  disableSchemaValidation?: boolean;
  ipAddressType: string;
  description?: string;
  version?: string;
  corsConfiguration?: CorsConfig;
  tags: Record<string, string>;
  routes: Record<string, RouteRecord>;
  integrations: Record<string, IntegrationRecord>;
  stages: Record<string, StageRecord>;
  deployments: Record<string, DeploymentRecord>;
}
