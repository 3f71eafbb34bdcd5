import { baselineApiCors, executeApiArn } from './baseline.ts';
import type { Resource, RunContext } from './context.ts';
import { MAX_UPLOAD_BYTES, UPLOAD_PREFIX } from './names.ts';
import { loadPolicyFile, toApiCors, toBucketCorsRules, toPolicyDocument } from './policies.ts';
import { ensureApiCors } from './resources/api.ts';
import { ensureBucketCors, removeBucketCors } from './resources/bucket-cors.ts';
import { ensureFunction } from './resources/function.ts';
import { ensurePermission, removePermission } from './resources/permission.ts';
import { deleteFunction, deleteInlinePolicy, deleteRole } from './resources/remove.ts';
import { requireApi } from './resources/require.ts';
import { ensureInlinePolicy, ensureRole } from './resources/role.ts';
import { ensureRoute, removeRoute } from './resources/route.ts';
import { ROW_IDS, type RowId } from '../../checks/row-ids.ts';

/** The checklist rows, in the lab's order (docs: DESIGN.md "The checklist rows"); the checker owns the list. */
export const CHECK_IDS = ROW_IDS;
export type CheckId = RowId;

export interface LabStep {
  id: CheckId;
  /** What the step changes in AWS; empty for rows that verify earlier steps. */
  resources: Resource[];
  /** Undoes the step, for a baseline deploy over a stack that has it (run in reverse step order). */
  revert: Resource[];
  /** Why a row changes nothing of its own. */
  note?: string;
}

const UPLOAD_SID = 'apigateway-post-upload-url';
const fill = (ctx: RunContext): { bucket: string; origin: string } => ({
  bucket: ctx.names.bucket,
  origin: ctx.origin,
});

export const ticketEnv = (ctx: RunContext): Record<string, string> => ({
  UPLOAD_BUCKET: ctx.names.bucket,
  UPLOAD_PREFIX,
  MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
});

export const LAB_STEPS: readonly LabStep[] = [
  {
    id: 'api-cors',
    resources: [
      {
        id: 'api-cors',
        run: async (ctx) => ensureApiCors(ctx, toApiCors(await loadPolicyFile('api-cors.json', fill(ctx)))),
      },
    ],
    // The baseline's own `api-cors` resource puts GET-only CORS back.
    revert: [{ id: 'api-cors', run: (ctx) => ensureApiCors(ctx, baselineApiCors(ctx.origin)) }],
  },
  {
    id: 'bucket-cors',
    resources: [
      {
        id: 'bucket-cors',
        run: async (ctx) =>
          ensureBucketCors(ctx, toBucketCorsRules(await loadPolicyFile('bucket-cors.json', fill(ctx)))),
      },
    ],
    revert: [{ id: 'bucket-cors', run: (ctx) => removeBucketCors(ctx) }],
  },
  {
    id: 'ticket-function',
    resources: [
      { id: 'role:uploadTicket', run: (ctx) => ensureRole(ctx, 'uploadTicket') },
      { id: 'function:uploadTicket', run: (ctx) => ensureFunction(ctx, 'uploadTicket', ticketEnv(ctx)) },
    ],
    revert: [
      { id: 'function:uploadTicket', run: (ctx) => deleteFunction(ctx, ctx.names.functions.uploadTicket) },
      { id: 'role:uploadTicket', run: (ctx) => deleteRole(ctx, ctx.names.roles.uploadTicket) },
    ],
  },
  {
    id: 'put-permission',
    resources: [
      {
        id: 'role-policy:uploadTicketPut',
        run: async (ctx) =>
          ensureInlinePolicy(
            ctx,
            'uploadTicket',
            ctx.names.policies.uploadTicketPut,
            toPolicyDocument(
              await loadPolicyFile('upload-ticket-policy.json', fill(ctx)),
              'upload-ticket-policy.json',
            ),
          ),
      },
    ],
    revert: [
      {
        id: 'role-policy:uploadTicketPut',
        run: (ctx) =>
          deleteInlinePolicy(ctx, ctx.names.roles.uploadTicket, ctx.names.policies.uploadTicketPut),
      },
    ],
  },
  {
    id: 'upload-route',
    resources: [
      { id: 'route:POST /upload-url', run: (ctx) => ensureRoute(ctx, 'POST /upload-url', 'uploadTicket') },
      {
        id: 'permission:uploadTicket:apigw',
        run: async (ctx) =>
          ensurePermission(ctx, {
            function: 'uploadTicket',
            sid: UPLOAD_SID,
            principal: 'apigateway.amazonaws.com',
            sourceArn: executeApiArn(ctx, await requireApi(ctx), 'upload-url'),
          }),
      },
    ],
    revert: [
      { id: 'route:POST /upload-url', run: (ctx) => removeRoute(ctx, 'POST /upload-url') },
      {
        id: 'permission:uploadTicket:apigw',
        run: (ctx) => removePermission(ctx, 'uploadTicket', UPLOAD_SID),
      },
    ],
  },
  ...(['browser-upload', 'dashboard', 'bucket-private', 'ticket-scope'] as const).map((id): LabStep => ({
    id,
    resources: [],
    revert: [],
    note: `${id} has no change of its own: it verifies what the earlier steps built (baseline + api-cors, bucket-cors, ticket-function, put-permission, upload-route).`,
  })),
];

export const isCheckId = (id: string): id is CheckId => (CHECK_IDS as readonly string[]).includes(id);
