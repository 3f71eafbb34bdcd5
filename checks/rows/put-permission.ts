import { fail, failMaybePropagating } from '../check-failure.ts';
import { hint } from '../hints.ts';
import { roleNameFrom } from '../lib/arn.ts';
import { allowedResources, evaluate } from '../lib/iam-eval.ts';
import { uploadWithTicket } from '../lib/probe-file.ts';
import { judgeRole } from '../lib/role-policies.ts';
import { accountOf, freshTicket, ticketFunction } from '../lib/ticket.ts';
import type { Check } from '../types.ts';

const ACTION = 's3:PutObject';

export const putPermission: Check = {
  id: 'put-permission',
  title: 'Lambda can generate working upload tickets',
  step: 'Add s3:PutObject permission',
  needs: ['ticket-function'],
  async run(ctx) {
    const { bucket, uploadPrefix } = ctx.target;
    const config = await ticketFunction(ctx);
    const roleArn = config?.Role ?? '';
    const role = roleNameFrom(roleArn);
    const { partition } = accountOf(config);
    const ticket = await freshTicket(ctx, 'put-permission');
    const objectArn = `arn:${partition}:s3:::${bucket}/${ticket.object_key}`;
    const wanted = `arn:${partition}:s3:::${bucket}/${uploadPrefix}*`;
    const [permission, upload] = await Promise.all([
      judgeRole(ctx, { name: role, arn: roleArn }, ACTION, objectArn),
      uploadWithTicket(ctx, ticket, 'put-permission'),
    ]);
    const { answer } = upload;
    const evidence = {
      role,
      decision: permission.decision,
      decidedBy: permission.by,
      ...(permission.note ? { note: permission.note } : {}),
      putObjectResources: allowedResources(permission.policies, ACTION),
      upload: { key: upload.key, status: answer.status, error: answer.error ?? null },
    };
    if (answer.status < 300) {
      return {
        summary: `role ${role} may ${ACTION} (${permission.decision}); a real upload answered ${answer.status}`,
        ...evidence,
      };
    }
    const seen =
      `S3 refused the upload: ${answer.status} ${answer.error?.code ?? ''} ${answer.error?.message ?? ''}`.trim();
    if (answer.error?.condition) {
      const fields = Object.keys(upload.fields);
      fail(
        seen,
        hint('put-permission.policy-condition', { condition: answer.error.condition, fields }),
        evidence,
      );
    }
    if (
      answer.status !== 403 ||
      answer.error?.code !== 'AccessDenied' ||
      /Invalid according to Policy/.test(answer.error.message)
    ) {
      fail(
        seen,
        hint('put-permission.upload-refused', {
          status: answer.status,
          code: answer.error?.code ?? '',
          message: answer.error?.message ?? '',
        }),
        evidence,
      );
    }
    const local = evaluate(permission.policies, ACTION, objectArn);
    if (local.decision === 'explicitDeny' || permission.decision === 'explicitDeny') {
      fail(
        seen,
        hint('put-permission.explicit-deny', { role, source: local.matched[0]?.source ?? 'a policy' }),
        evidence,
      );
    }
    const resources = evidence.putObjectResources;
    if (resources.length === 0) fail(seen, hint('put-permission.missing', { role, wanted }), evidence);
    const bucketOnly = resources.find(
      (r) => r === `arn:${partition}:s3:::${bucket}` || r === `arn:${partition}:s3:::${bucket}/`,
    );
    if (bucketOnly && local.decision !== 'allowed') {
      fail(seen, hint('put-permission.bucket-arn-only', { role, resource: bucketOnly, wanted }), evidence);
    }
    if (local.decision !== 'allowed')
      fail(seen, hint('put-permission.wrong-prefix', { role, resources, wanted }), evidence);
    // The role's policies allow the upload, yet S3 refused it: IAM may still be propagating (§11.1).
    failMaybePropagating(
      seen,
      hint('put-permission.upload-refused', {
        status: answer.status,
        code: answer.error.code,
        message: answer.error.message,
      }),
      evidence,
    );
  },
};
