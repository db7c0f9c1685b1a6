import { z } from 'zod';
import { alreadyCompliant, ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { LOG_FILE_VALIDATION_KIND, LOG_FILE_VALIDATION_UNDO, logFileValidationUndoer, trailChange } from './cloudtrail-undo';
import { sdk } from '../sdk';

/** `arn:aws:cloudtrail:us-east-2:111122223333:trail/MyTrail` -> region, account, name. */
const TRAIL_ARN = /^arn:[\w-]+:cloudtrail:([\w-]+):(\d{12}):trail\/(.+)$/;

interface TrailArn {
  region: string;
  account: string;
  name: string;
}

function parseTrailArn(arn: string | undefined): TrailArn | undefined {
  const match = arn ? TRAIL_ARN.exec(arn) : null;
  if (!match) return undefined;
  const [, region = '', account = '', name = ''] = match;
  return { region, account, name };
}

export default defineBot({
  meta: {
    name: 'cloudtrail_enable_log_file_validation',
    summary: 'Turn on log file integrity validation for a CloudTrail trail',
    description:
      'Reads the trail (GetTrail) and, when log file validation is off, calls UpdateTrail with EnableLogFileValidation = true, ' +
      'so CloudTrail delivers signed digest files that prove whether log files were changed or deleted. Nothing else on the ' +
      "trail changes. A trail named by ARN is read in the ARN's region. A multi-Region trail can only be updated in its home " +
      'Region, so the update goes there even when the finding came from another Region. An organization trail seen from a ' +
      "member account is skipped: only the organization's management account can change it.",
    resourceTypes: ['AWS::CloudTrail::Trail'],
    remediates: { securityHub: ['CloudTrail.4', 'CIS.2.2', 'PCI.CloudTrail.3'], config: ['cloud-trail-log-file-validation-enabled'] },
    params: z.strictObject({}),
    permissions: [
      // Any region: a multi-Region trail's ARN carries its home Region, which may differ from the finding's.
      {
        actions: ['cloudtrail:GetTrail'],
        // Any account too: an organization trail seen from a member account is the management account's trail.
        resources: ['arn:{partition}:cloudtrail:*:*:trail/{resourceId}'],
        reason: 'read the trail (also an organization trail owned by the management account, to report it instead of failing)',
      },
      {
        actions: ['cloudtrail:UpdateTrail'],
        // The home Region is read first (GetTrail): the session that updates names that Region only.
        resources: ['arn:{partition}:cloudtrail:{trailRegion}:{account}:trail/{resourceId}'],
        reason: "turn on log file validation of the account's own trail, in the trail's home Region",
      },
    ],
    undo: { [LOG_FILE_VALIDATION_KIND]: LOG_FILE_VALIDATION_UNDO },
  },
  undoers: { [LOG_FILE_VALIDATION_KIND]: logFileValidationUndoer },
  async run(ctx) {
    const { CloudTrailClient, GetTrailCommand, UpdateTrailCommand } = await sdk.cloudTrail();
    const id = ctx.finding.resource.id;
    const named = parseTrailArn(id);
    if (id.startsWith('arn:') && !named) throw new Error(`cloudtrail_enable_log_file_validation: "${id}" is not a trail name or trail ARN`);
    const clientIn = (region: string) => (region === ctx.region ? ctx.client(CloudTrailClient) : ctx.client(CloudTrailClient, { region }));

    const lookupRegion = named?.region ?? ctx.region;
    const { Trail: trail } = await clientIn(lookupRegion).send(new GetTrailCommand({ Name: id }));
    if (!trail) throw new Error(`cloudtrail_enable_log_file_validation: GetTrail returned no trail for ${id}`);

    const arn = parseTrailArn(trail.TrailARN);
    const name = trail.Name ?? arn?.name ?? id;
    const owner = arn?.account ?? ctx.account;
    if (trail.IsOrganizationTrail && owner !== ctx.account) {
      return skipped(`${name} is an organization trail owned by account ${owner}; turn on log file validation there`);
    }
    if (trail.LogFileValidationEnabled) return alreadyCompliant(`log file validation is already on for trail ${name}`);

    const homeRegion = trail.HomeRegion ?? arn?.region ?? lookupRegion;
    const target = trail.TrailARN ?? `arn:${ctx.partition}:cloudtrail:${homeRegion}:${ctx.account}:trail/${name}`;
    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 'cloudtrail:UpdateTrail',
        target,
        description: `log file validation off -> on${homeRegion === ctx.region ? '' : ` (in the trail's home Region ${homeRegion})`}`,
        undo: trailChange(LOG_FILE_VALIDATION_KIND, homeRegion, { LogFileValidationEnabled: false }, { LogFileValidationEnabled: true }),
      },
      async () => {
        const narrowed = await ctx.narrowTo({ trailRegion: [homeRegion] });
        const writer = homeRegion === ctx.region ? narrowed(CloudTrailClient) : narrowed(CloudTrailClient, { region: homeRegion });
        return writer.send(new UpdateTrailCommand({ Name: target, EnableLogFileValidation: true }));
      },
    );
    return changes.result(`turned on log file validation for trail ${name}`);
  },
});
