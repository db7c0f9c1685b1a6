/**
 * A finding's identity (partition, account, region, resource id and ARN) is
 * text someone else wrote, and it is about to be substituted into a role ARN,
 * a session policy and API calls. Before anything is planned, it must be
 * well formed, in this deployment's partition, and agree with itself: a
 * finding whose ARN names another resource, account, region or partition than
 * its fields do is malformed, because the tag lookup would read one resource
 * while the bot changes another. Pure.
 */
import type { Finding, SupportedResourceType } from '../bots/types';
import { partitionOf } from '../config/regions';
import { apiId, isSupportedType, parseArn } from './sources/resources';

export interface IdentityContext {
  /** The partition this deployment runs in (the handler's own). */
  partition: string;
}

interface IdSyntax {
  pattern: RegExp;
  /** What a valid id looks like, for the message. */
  expected: string;
}

const hex = (prefix: string) => ({
  pattern: new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`),
  expected: `${prefix}- and 8 or 17 hex digits`,
});
const DB_IDENTIFIER = {
  pattern: /^[A-Za-z](?:-?[A-Za-z0-9])*$/,
  expected: 'a DB identifier: a letter, then letters, digits and single hyphens',
};
const IAM_NAME = { pattern: /^[\w+=,.@-]{1,64}$/, expected: 'an IAM name: 1-64 letters, digits and +=,.@_-' };

/**
 * The id syntax of every supported type, as the service API takes it. None
 * admits `*`, `?`, `/` or `:` except where the type's ids contain them (log
 * group names), so no id can widen an ARN built from it.
 */
const ID_SYNTAX: Record<SupportedResourceType, IdSyntax> = {
  'AWS::AutoScaling::AutoScalingGroup': {
    pattern: /^[\w.+=@,-](?:[\w .+=@,-]{0,253}[\w.+=@,-])?$/,
    expected: 'an Auto Scaling group name: up to 255 letters, digits, spaces and .+=@,_-',
  },
  'AWS::CloudFormation::Stack': {
    pattern: /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
    expected: 'a stack name: a letter, then up to 127 letters, digits and hyphens',
  },
  'AWS::CloudFront::Distribution': { pattern: /^E[A-Z0-9]{7,20}$/, expected: 'a distribution id: E and upper-case letters and digits' },
  'AWS::CodeBuild::Project': { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/, expected: 'a project name: 2-255 letters, digits, _ and -' },
  'AWS::EC2::Snapshot': hex('snap'),
  'AWS::EC2::TransitGateway': hex('tgw'),
  'AWS::ECR::Repository': {
    pattern: /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
    expected: 'a repository name: lower-case letters, digits and ._- in /-separated parts, 2-256 characters',
  },
  'AWS::ECS::Task': {
    // The API needs the cluster with the task: the id is the tail of the task's ARN, `cluster/task-id`.
    pattern: /^[A-Za-z0-9_-]{1,255}\/[0-9a-f]{32}$/,
    expected: 'cluster/task-id: the cluster name, a slash, and the 32 hex digits of the task id',
  },
  'AWS::RDS::DBCluster': DB_IDENTIFIER,
  'AWS::RDS::DBClusterSnapshot': DB_IDENTIFIER,
  'AWS::RDS::DBSnapshot': DB_IDENTIFIER,
  'AWS::Redshift::Cluster': {
    pattern: /^[a-z](?:-?[a-z0-9])*$/,
    expected: 'a cluster identifier: a lower-case letter, then lower-case letters, digits and single hyphens',
  },
  'AWS::SNS::Topic': { pattern: /^[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/, expected: 'a topic name: letters, digits, _ and -' },
  'AWS::SQS::Queue': { pattern: /^[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/, expected: 'a queue name: 1-80 letters, digits, _ and -' },
  'AWS::::Account': { pattern: /^\d{12}$/, expected: 'the 12-digit account id' },
  'AWS::CloudTrail::Trail': { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/, expected: 'a trail name: 3-128 letters, digits and ._-' },
  'AWS::CloudWatch::Alarm': { pattern: /^[^*?:/\s][^*?:/\p{Cc}]{0,254}$/u, expected: 'an alarm name without * ? : /' },
  'AWS::Config::ConfigurationRecorder': { pattern: /^[\w-]{1,256}$/, expected: 'a recorder name: letters, digits, _ and -' },
  'AWS::EC2::Image': hex('ami'),
  'AWS::EC2::Instance': hex('i'),
  'AWS::EC2::InternetGateway': hex('igw'),
  'AWS::EC2::KeyPair': { pattern: /^[\w .=,@+-]{1,255}$/, expected: 'a key pair name without * ? : /' },
  'AWS::EC2::NetworkAcl': hex('acl'),
  'AWS::EC2::SecurityGroup': hex('sg'),
  'AWS::EC2::Subnet': hex('subnet'),
  'AWS::EC2::Volume': hex('vol'),
  'AWS::EC2::VPC': hex('vpc'),
  'AWS::IAM::ManagedPolicy': { pattern: /^[\w+=,.@-]{1,128}$/, expected: 'a policy name: 1-128 letters, digits and +=,.@_-' },
  'AWS::IAM::Role': IAM_NAME,
  'AWS::IAM::User': IAM_NAME,
  'AWS::KMS::Key': {
    pattern: /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
    expected: 'a key id (a UUID or mrk- and 32 hex digits)',
  },
  'AWS::Lambda::Function': { pattern: /^[A-Za-z0-9_-]{1,64}$/, expected: 'a function name: 1-64 letters, digits, _ and -' },
  'AWS::Logs::LogGroup': { pattern: /^[\w.\-/#]{1,512}$/, expected: 'a log group name: letters, digits and ._-/#' },
  'AWS::RDS::DBInstance': DB_IDENTIFIER,
  'AWS::S3::Bucket': {
    pattern: /^[a-z0-9][a-z0-9._-]{1,253}[a-z0-9]$/i,
    expected: 'a bucket name: 3-255 letters, digits and ._-, starting and ending with a letter or digit',
  },
};

/** A type cloudmend cannot act on still must not carry an id that widens an ARN: no wildcards, no blanks. */
const FOREIGN_ID = { pattern: /^[^*?\s\p{Cc}{}$]{1,1024}$/u, expected: 'no *, ?, blanks, braces or $' };

const PARTITION = /^aws(?:-[a-z]+)*$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;

/** IAM unique ids (`AIDA…` users, `AROA…` roles): valid name syntax, but no API takes them where a name is needed. */
const IAM_UNIQUE_ID = /^(AIDA|AROA)[A-Z0-9]{12,}$/;

const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** The service an ARN of this type names: `AWS::EC2::VPC` -> `ec2`. */
function serviceOf(type: SupportedResourceType): string | undefined {
  const service = type.split('::')[1];
  return service ? service.toLowerCase() : undefined;
}

function regionProblems(what: string, region: string, partition: string): string[] {
  if (!REGION.test(region)) return [`${what} ${quote(region)} is not a region name`];
  if (partitionOf(region) !== partition) return [`${what} ${region} is in partition ${partitionOf(region)}, not ${partition}`];
  return [];
}

function arnProblems(finding: Finding, arnText: string): string[] {
  const { resource } = finding;
  const arn = parseArn(arnText);
  if (!arn) return [`resource ARN ${quote(arnText)} is not an ARN`];
  const problems: string[] = [];
  if (arn.partition !== finding.partition) {
    problems.push(`resource ARN ${quote(arnText)} is in partition ${quote(arn.partition)}, the finding in ${quote(finding.partition)}`);
  }
  if (arn.account !== '' && arn.account !== finding.account) {
    problems.push(`resource ARN ${quote(arnText)} names account ${quote(arn.account)}, the finding ${finding.account}`);
  }
  const region = resource.region ?? finding.region;
  if (arn.region !== '' && arn.region !== region) {
    problems.push(`resource ARN ${quote(arnText)} names region ${quote(arn.region)}, the finding ${region}`);
  }
  if (isSupportedType(resource.type)) {
    const service = serviceOf(resource.type);
    if (service && arn.service !== service) {
      problems.push(`resource ARN ${quote(arnText)} is an ${quote(arn.service)} ARN, not one of ${resource.type}`);
    } else if (apiId(resource.type, arnText) !== resource.id) {
      problems.push(`resource ARN ${quote(arnText)} names ${quote(apiId(resource.type, arnText))}, the finding ${quote(resource.id)}`);
    }
  }
  return problems;
}

/**
 * Every way the finding's identity is malformed or disagrees with itself, as
 * sentences; empty when it may be planned.
 */
export function validateFindingIdentity(finding: Finding, context: IdentityContext): string[] {
  const problems: string[] = [];
  const { partition, account, region, resource } = finding;
  if (!PARTITION.test(partition)) problems.push(`partition ${quote(partition)} is not a partition name`);
  else if (partition !== context.partition) problems.push(`partition ${partition} is not this deployment's (${context.partition})`);
  if (!ACCOUNT.test(account)) problems.push(`account ${quote(account)} is not a 12-digit account id`);
  problems.push(...regionProblems('region', region, context.partition));
  if (resource.region !== undefined) problems.push(...regionProblems('resource region', resource.region, context.partition));
  const syntax = isSupportedType(resource.type) ? ID_SYNTAX[resource.type] : FOREIGN_ID;
  if (!syntax.pattern.test(resource.id)) {
    problems.push(`resource id ${quote(resource.id)} is not a valid ${resource.type} id (expected ${syntax.expected})`);
  } else if ((resource.type === 'AWS::IAM::User' || resource.type === 'AWS::IAM::Role') && IAM_UNIQUE_ID.test(resource.id)) {
    const kind = resource.type === 'AWS::IAM::User' ? 'user' : 'role';
    problems.push(
      `resource id ${resource.id} is an IAM unique id, not a ${kind} name (AWS Config names IAM ${kind}s this way): ` +
        `find the name with \`aws iam list-${kind}s --query "${kind === 'user' ? 'Users' : 'Roles'}[?${kind === 'user' ? 'UserId' : 'RoleId'}=='${resource.id}'].${kind === 'user' ? 'UserName' : 'RoleName'}"\`, ` +
        `or map the rule through Security Hub, whose findings name the ${kind} by ARN`,
    );
  } else if (resource.type === 'AWS::::Account' && resource.id !== account) {
    problems.push(`the resource is account ${resource.id}, the finding's account is ${account}`);
  }
  if (resource.arn !== undefined) problems.push(...arnProblems(finding, resource.arn));
  return problems;
}
