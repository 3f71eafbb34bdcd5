/** Who signed a request. Root is allowed everything; a role session is authorized by its role's policies, a user by its own and its groups'. */
export type Principal =
  | { type: 'anonymous' }
  | { type: 'root'; accountId: string; arn: string; accessKeyId: string; userId: string }
  | {
      type: 'role-session';
      accountId: string;
      /** `arn:aws:sts::<acct>:assumed-role/<role>/<session>` */
      arn: string;
      roleArn: string;
      roleName: string;
      sessionName: string;
      /** `AROA…:<session>` */
      userId: string;
      accessKeyId: string;
    }
  | {
      /** An IAM user signing with one of its access keys (`AKIA…`). */
      type: 'user';
      accountId: string;
      /** `arn:aws:iam::<acct>:user<path><name>` */
      arn: string;
      userName: string;
      /** `AIDA…` */
      userId: string;
      accessKeyId: string;
    };

export const ACCOUNT_ID = '000000000000';

export const rootPrincipal = (accessKeyId: string): Principal => ({
  type: 'root',
  accountId: ACCOUNT_ID,
  arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
  accessKeyId,
  userId: ACCOUNT_ID,
});
