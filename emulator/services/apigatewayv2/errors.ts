import { AwsError } from '../../core/aws-error.ts';
import { ACCOUNT_ID } from '../../auth/principal.ts';

const notFound = (message: string) => new AwsError('NotFoundException', message, { status: 404 });

/**
 * API Gateway's control-plane errors. The API message is AWS's ("Invalid API identifier
 * specified <account>:<id>", seen in captured responses), as is the stage one ("Invalid stage
 * identifier specified"); route, integration and deployment follow the API's pattern [UNVERIFIED].
 */
export const apiErrors = {
  badRequest: (message: string) => new AwsError('BadRequestException', message, { status: 400 }),
  conflict: (message: string) => new AwsError('ConflictException', message, { status: 409 }),
  apiNotFound: (apiId: string) => notFound(`Invalid API identifier specified ${ACCOUNT_ID}:${apiId}`),
  routeNotFound: (id: string) => notFound(`Invalid Route identifier specified ${ACCOUNT_ID}:${id}`),
  integrationNotFound: (id: string) =>
    notFound(`Invalid Integration identifier specified ${ACCOUNT_ID}:${id}`),
  deploymentNotFound: (id: string) => notFound(`Invalid Deployment identifier specified ${ACCOUNT_ID}:${id}`),
  stageNotFound: () => notFound('Invalid stage identifier specified'),
  resourceNotFound: (arn: string) => notFound(`Invalid resource identifier specified ${arn}`),
};
