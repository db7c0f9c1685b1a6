import { z } from 'zod';

/**
 * A managed policy ARN as a param: an AWS managed policy (`arn:aws:iam::aws:policy/...`)
 * or a customer policy (`arn:aws:iam::<account>:policy/...`). `$ACCOUNT_ID` stands for the
 * finding's account, as in CloudBots, so one config value serves every account.
 */
export const POLICY_ARN = z
  .string()
  .regex(
    /^arn:[\w-]+:iam::(?:aws|\d{12}|\$ACCOUNT_ID):policy\/[\w+=,.@/-]+$/,
    'a managed policy ARN, e.g. arn:aws:iam::aws:policy/AWSDenyAll or arn:aws:iam::$ACCOUNT_ID:policy/quarantine',
  );

export function resolvePolicyArn(arn: string, account: string): string {
  return arn.replace('$ACCOUNT_ID', account);
}
