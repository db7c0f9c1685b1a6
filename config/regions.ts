/**
 * Region names cloudmend knows. Enabled by default in every account (17), and
 * opt-in regions that an account must enable first. A config naming a region
 * outside these lists is a typo far more often than a region newer than this file.
 */
export const DEFAULT_REGIONS = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;

export const OPT_IN_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
] as const;

export const OTHER_PARTITION_REGIONS = ['cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1'] as const;

export const KNOWN_REGIONS: ReadonlySet<string> = new Set<string>([...DEFAULT_REGIONS, ...OPT_IN_REGIONS, ...OTHER_PARTITION_REGIONS]);

export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
