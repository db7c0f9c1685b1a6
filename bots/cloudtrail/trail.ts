import type { CloudTrailClient, Trail } from '@aws-sdk/client-cloudtrail';
import type { BotContext } from '../types';
import { sdk } from '../sdk';

/** `arn:aws:cloudtrail:us-east-2:111122223333:trail/MyTrail` -> region, account, name. */
const TRAIL_ARN = /^arn:[\w-]+:cloudtrail:([\w-]+):(\d{12}):trail\/(.+)$/;

export function parseTrailArn(arn: string | undefined): { region: string; account: string; name: string } | undefined {
  const match = arn ? TRAIL_ARN.exec(arn) : null;
  return match ? { region: match[1] as string, account: match[2] as string, name: match[3] as string } : undefined;
}

export interface FoundTrail {
  trail: Trail;
  name: string;
  /** The ARN every write names (so it reaches a multi-Region trail from any Region). */
  arn: string;
  homeRegion: string;
  /** The account that owns the trail: another one for an organization trail seen from a member account. */
  owner: string;
  /**
   * A CloudTrail client in the trail's home Region, where it must be updated,
   * with credentials narrowed to that Region (`{trailRegion}`): call it inside
   * the write, so a dry run assumes nothing.
   */
  updater(): Promise<CloudTrailClient>;
}

/**
 * The finding's trail, by name or ARN, read in the ARN's Region when named by
 * ARN (GetTrail). Errors name the bot and what was expected.
 */
export async function readTrail(
  ctx: Pick<BotContext, 'finding' | 'region' | 'account' | 'partition' | 'client' | 'narrowTo'>,
  bot: string,
): Promise<FoundTrail> {
  const { CloudTrailClient, GetTrailCommand } = await sdk.cloudTrail();
  const id = ctx.finding.resource.id;
  const named = parseTrailArn(id);
  if (id.startsWith('arn:') && !named) throw new Error(`${bot}: "${id}" is not a trail name or trail ARN`);
  const clientIn = (region: string) => (region === ctx.region ? ctx.client(CloudTrailClient) : ctx.client(CloudTrailClient, { region }));
  const lookupRegion = named?.region ?? ctx.region;
  const { Trail: trail } = await clientIn(lookupRegion).send(new GetTrailCommand({ Name: id }));
  if (!trail) throw new Error(`${bot}: GetTrail returned no trail for ${id}`);
  const arn = parseTrailArn(trail.TrailARN);
  const name = trail.Name ?? arn?.name ?? id;
  const homeRegion = trail.HomeRegion ?? arn?.region ?? lookupRegion;
  return {
    trail,
    name,
    arn: trail.TrailARN ?? `arn:${ctx.partition}:cloudtrail:${homeRegion}:${ctx.account}:trail/${name}`,
    homeRegion,
    owner: arn?.account ?? ctx.account,
    async updater() {
      const narrowed = await ctx.narrowTo({ trailRegion: [homeRegion] });
      return homeRegion === ctx.region ? narrowed(CloudTrailClient) : narrowed(CloudTrailClient, { region: homeRegion });
    },
  };
}

/** Permission statements every trail-updating bot needs: read any trail (an organization trail too), update the account's own. */
export const TRAIL_READ_UPDATE = [
  {
    actions: ['cloudtrail:GetTrail'],
    // Any Region and account: a multi-Region trail's ARN carries its home Region; an organization trail is the management account's.
    resources: ['arn:{partition}:cloudtrail:*:*:trail/{resourceId}'],
    reason: 'read the trail (also an organization trail owned by the management account, to report it instead of failing)',
  },
  {
    actions: ['cloudtrail:UpdateTrail'],
    // The home Region is read first (GetTrail): the session that updates names that Region only.
    resources: ['arn:{partition}:cloudtrail:{trailRegion}:{account}:trail/{resourceId}'],
    reason: "update the account's own trail, in the trail's home Region",
  },
];
