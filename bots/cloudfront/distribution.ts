/**
 * The CloudFront distribution a finding names. CloudFront is a global service:
 * its API is served from one endpoint, us-east-1 in the `aws` partition,
 * whatever Region the finding was raised in, so its permissions are `global`
 * (aws:RequestedRegion is that endpoint's Region, not an enabled Region's) and
 * its ARNs name no Region.
 */
import type { CloudFrontClient, DistributionConfig } from '@aws-sdk/client-cloudfront';
import { sdk } from '../sdk';

const DISTRIBUTION_ARN = /^arn:[\w-]+:cloudfront::\d{12}:distribution\/([A-Z0-9]+)$/;

export const DISTRIBUTION_RESOURCE = 'arn:{partition}:cloudfront::{account}:distribution/{resourceId}';

export function distributionId(bot: string, resourceId: string): string {
  if (!resourceId.startsWith('arn:')) return resourceId;
  const match = DISTRIBUTION_ARN.exec(resourceId);
  if (!match) throw new Error(`${bot}: "${resourceId}" is not a CloudFront distribution id or distribution ARN`);
  return match[1] ?? resourceId;
}

/** The distribution's id in a change's target (its ARN), for undo. */
export function distributionIdOfTarget(target: string): string {
  return DISTRIBUTION_ARN.exec(target)?.[1] ?? target;
}

export function distributionArn(partition: string, account: string, id: string): string {
  return `arn:${partition}:cloudfront::${account}:distribution/${id}`;
}

/** The config UpdateDistribution must be given back whole, and the ETag it must name (IfMatch). */
export async function readDistributionConfig(
  cloudfront: CloudFrontClient,
  bot: string,
  id: string,
): Promise<{ config: DistributionConfig; etag: string }> {
  const { GetDistributionConfigCommand } = await sdk.cloudFront();
  const { DistributionConfig: config, ETag: etag } = await cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
  if (!config || !etag) throw new Error(`${bot}: GetDistributionConfig returned no config or no ETag for distribution ${id}`);
  return { config, etag };
}
