/** Security group ids as the EC2 API takes them; anything else (a name, an ARN) is refused before any call. */
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;

export function requireSecurityGroupId(id: string, botName: string): string {
  if (!SECURITY_GROUP_ID.test(id)) {
    throw new Error(`${botName}: the finding's resource "${id}" is not a security group id (expected sg-xxxxxxxx)`);
  }
  return id;
}

export function securityGroupArn(partition: string, region: string, account: string, groupId: string): string {
  return `arn:${partition}:ec2:${region}:${account}:security-group/${groupId}`;
}

/** True for the SDK error EC2 returns when the group does not exist (any more). */
export function isGroupNotFound(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'InvalidGroup.NotFound';
}
