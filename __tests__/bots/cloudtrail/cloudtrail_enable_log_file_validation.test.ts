import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailClient, GetTrailCommand, UpdateTrailCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import bot from '../../../bots/cloudtrail/cloudtrail_enable_log_file_validation';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { ClientFactory } from '../../../bots/types';
import { botContext } from '../../support/bot-context';

const account = '222222222222';
const trailArn = `arn:aws:cloudtrail:us-east-1:${account}:trail/audit`;
const trailResource = { type: 'AWS::CloudTrail::Trail', id: 'audit' };

function trail(overrides: Partial<Trail> = {}): { Trail: Trail } {
  return {
    Trail: {
      Name: 'audit',
      TrailARN: trailArn,
      HomeRegion: 'us-east-1',
      IsMultiRegionTrail: false,
      IsOrganizationTrail: false,
      LogFileValidationEnabled: false,
      ...overrides,
    },
  };
}

/** The region of the client each call of `Command` was sent through. */
async function regionsOf(mock: ReturnType<typeof mockClient>, command: Parameters<typeof mock.commandCalls>[0]): Promise<string[]> {
  return Promise.all(mock.commandCalls(command).map((call) => (call.thisValue as CloudTrailClient).config.region()));
}

/** Mocked clients bound to the finding's region, as the handler's factory is. */
const clientsIn =
  (region: string): ClientFactory =>
  (ClientClass, overrides) =>
    new ClientClass({ region: overrides?.region ?? region });

describe('cloudtrail_enable_log_file_validation', () => {
  const cloudtrail = mockClient(CloudTrailClient);
  beforeEach(() => cloudtrail.reset());
  afterAll(() => cloudtrail.restore());

  it('turns on log file validation of a trail named in the finding', async () => {
    cloudtrail.on(GetTrailCommand).resolves(trail());
    cloudtrail.on(UpdateTrailCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: trailResource }));

    expect(cloudtrail.commandCalls(GetTrailCommand)[0]!.args[0].input).toEqual({ Name: 'audit' });
    expect(cloudtrail.commandCalls(UpdateTrailCommand)[0]!.args[0].input).toEqual({ Name: trailArn, EnableLogFileValidation: true });
    expect(await regionsOf(cloudtrail, UpdateTrailCommand)).toEqual(['us-east-1']);
    expect(result).toEqual({
      status: 'remediated',
      message: 'turned on log file validation for trail audit',
      changes: [
        {
          action: 'cloudtrail:UpdateTrail',
          target: trailArn,
          description: 'log file validation off -> on',
          applied: true,
          undo: {
            kind: 'log-file-validation',
            before: { LogFileValidationEnabled: false },
            after: { LogFileValidationEnabled: true },
            ids: { trailRegion: ['us-east-1'] },
          },
        },
      ],
    });
  });

  it('updates a multi-Region trail in its home Region when the finding came from another Region', async () => {
    cloudtrail.on(GetTrailCommand).resolves(trail({ IsMultiRegionTrail: true }));
    const narrowed: unknown[] = [];
    const result = await bot.run(
      botContext(bot, {
        resource: trailResource,
        finding: { region: 'eu-west-1' },
        client: clientsIn('eu-west-1'),
        onNarrow: (ids) => narrowed.push(ids),
      }),
    );

    // The update's credentials name the home Region read, not the finding's.
    expect(narrowed).toEqual([{ trailRegion: ['us-east-1'] }]);
    expect(await regionsOf(cloudtrail, GetTrailCommand)).toEqual(['eu-west-1']);
    expect(await regionsOf(cloudtrail, UpdateTrailCommand)).toEqual(['us-east-1']);
    expect(result.changes[0]!.description).toBe("log file validation off -> on (in the trail's home Region us-east-1)");
  });

  it('takes the home Region from the trail ARN when GetTrail does not return HomeRegion', async () => {
    cloudtrail
      .on(GetTrailCommand)
      .resolves(trail({ HomeRegion: undefined, TrailARN: `arn:aws:cloudtrail:ap-south-1:${account}:trail/audit` }));
    await bot.run(botContext(bot, { resource: trailResource, finding: { region: 'eu-west-1' }, client: clientsIn('eu-west-1') }));
    expect(await regionsOf(cloudtrail, UpdateTrailCommand)).toEqual(['ap-south-1']);
  });

  it("reads a trail named by ARN in the ARN's region", async () => {
    cloudtrail.on(GetTrailCommand).resolves(trail());
    await bot.run(
      botContext(bot, { resource: { ...trailResource, id: trailArn }, finding: { region: 'eu-west-1' }, client: clientsIn('eu-west-1') }),
    );
    expect(cloudtrail.commandCalls(GetTrailCommand)[0]!.args[0].input).toEqual({ Name: trailArn });
    expect(await regionsOf(cloudtrail, GetTrailCommand)).toEqual(['us-east-1']);
    expect(await regionsOf(cloudtrail, UpdateTrailCommand)).toEqual(['us-east-1']);
  });

  it('reports already-compliant and writes nothing when validation is on', async () => {
    cloudtrail.on(GetTrailCommand).resolves(trail({ LogFileValidationEnabled: true }));
    const result = await bot.run(botContext(bot, { resource: trailResource }));
    expect(result).toEqual({ status: 'already-compliant', message: 'log file validation is already on for trail audit', changes: [] });
    expect(cloudtrail.commandCalls(UpdateTrailCommand)).toHaveLength(0);
  });

  it('skips an organization trail owned by the management account, which a member account cannot change', async () => {
    cloudtrail
      .on(GetTrailCommand)
      .resolves(
        trail({ IsOrganizationTrail: true, TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-audit', Name: 'org-audit' }),
      );
    const result = await bot.run(botContext(bot, { resource: { ...trailResource, id: 'org-audit' } }));
    expect(result).toEqual({
      status: 'skipped',
      message: 'org-audit is an organization trail owned by account 111111111111; turn on log file validation there',
      changes: [],
    });
    expect(cloudtrail.commandCalls(UpdateTrailCommand)).toHaveLength(0);
  });

  it('updates an organization trail in the management account that owns it', async () => {
    cloudtrail.on(GetTrailCommand).resolves(trail({ IsOrganizationTrail: true }));
    const result = await bot.run(botContext(bot, { resource: trailResource }));
    expect(result.status).toBe('remediated');
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    cloudtrail.on(GetTrailCommand).resolves(trail());
    const result = await bot.run(botContext(bot, { resource: trailResource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'cloudtrail:UpdateTrail', target: trailArn, applied: false })]);
    expect(cloudtrail.commandCalls(UpdateTrailCommand)).toHaveLength(0);
  });

  it('rejects an ARN that is not a trail ARN before any call', async () => {
    await expect(
      bot.run(botContext(bot, { resource: { ...trailResource, id: `arn:aws:cloudtrail:us-east-1:${account}:eventdatastore/x` } })),
    ).rejects.toThrow('is not a trail name or trail ARN');
    expect(cloudtrail.calls()).toHaveLength(0);
  });

  it('takes no params and rejects unknown ones', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ enable: 'true' }).success).toBe(false);
  });

  it('reads the trail in any Region, and updates it only in the home Region it read, whether the finding names it or gives its ARN', () => {
    const scope = { partition: 'aws', account, region: 'eu-west-1' };
    const resourcesFor = (resourceId: string, derived = {}) =>
      sessionPolicyFor(bot.meta, { ...scope, resourceId, derived }).Statement.map((s) => [s.Action, s.Resource]);
    // Before the read: no update at all.
    expect(resourcesFor('audit')).toEqual([[['cloudtrail:GetTrail'], ['arn:aws:cloudtrail:*:*:trail/audit']]]);
    expect(resourcesFor('audit', { trailRegion: ['us-east-2'] })).toEqual([
      [['cloudtrail:GetTrail'], ['arn:aws:cloudtrail:*:*:trail/audit']],
      [['cloudtrail:UpdateTrail'], [`arn:aws:cloudtrail:us-east-2:${account}:trail/audit`]],
    ]);
    expect(resourcesFor(trailArn, { trailRegion: ['us-east-1'] })).toEqual(resourcesFor('audit', { trailRegion: ['us-east-1'] }));
    expect(resourcesFor(trailArn)).toEqual(resourcesFor('audit'));
  });
});
