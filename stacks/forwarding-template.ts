/**
 * Event topology: every in-scope member finding reaches the handler of its own
 * region in the security account.
 *
 * - The security account's default bus in each region accepts events from any
 *   account of the organization (`aws:PrincipalOrgID`), nothing else.
 * - Each member account gets, through a StackSet in every enabled region,
 *   EventBridge rules forwarding to that bus: AWS Config compliance changes
 *   always (Config has no delegated administrator that forwards events), and
 *   GuardDuty and Security Hub findings when `roles.forwardFindings` is true
 *   (when the security account is their delegated administrator, their events
 *   already arrive there and forwarding would deliver them twice).
 */
import type { PolicyDocument } from '../bots/permissions';
import type { CloudFormationTemplate } from './member-role-template';

export interface ForwardingScope {
  partition: string;
  securityAccount: string;
  forwardFindings: boolean;
  /** naming.prefix: two deployments' rules coexist in a member account. */
  prefix?: string;
}

/** What each forwarding rule matches; the handler's own rules filter further (mapped rules, controls, types). */
export const FORWARDED_EVENTS = {
  ConfigCompliance: {
    source: ['aws.config'],
    'detail-type': ['Config Rules Compliance Change'],
    detail: { newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
  },
  GuardDutyFindings: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] },
  SecurityHubFindings: { source: ['aws.securityhub'], 'detail-type': ['Security Hub Findings - Imported'] },
} as const;

export function forwardingTemplate(scope: ForwardingScope): CloudFormationTemplate {
  const bus = { 'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:${scope.securityAccount}:event-bus/default` };
  const names = scope.forwardFindings
    ? (Object.keys(FORWARDED_EVENTS) as Array<keyof typeof FORWARDED_EVENTS>)
    : (['ConfigCompliance'] as const);
  // EventBridge delivers to the other account's bus as this role (AWS recommends a role for every bus target):
  // it may put events on that one bus and nothing else. IAM is global and the template runs in every region: the name carries it.
  const resources: CloudFormationTemplate['Resources'] = {
    ForwardingRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: { 'Fn::Sub': 'cloudmend-event-forwarding-${AWS::Region}' },
        Description: 'cloudmend: EventBridge forwards findings to the security account bus of this region',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'put-events-on-the-security-bus',
            PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: bus }] },
          },
        ],
      },
    },
  };
  for (const name of names) {
    resources[`Forward${name}`] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: `${scope.prefix ? `${scope.prefix}-` : ''}cloudmend-forward-${name.replace(/[A-Z]/g, (c, i: number) => `${i > 0 ? '-' : ''}${c.toLowerCase()}`)}`,
        Description: 'cloudmend: forwards to the security account bus of this region, where the cloudmend handler runs',
        State: 'ENABLED',
        EventPattern: FORWARDED_EVENTS[name],
        Targets: [{ Id: 'cloudmend-security-bus', Arn: bus, RoleArn: { 'Fn::GetAtt': ['ForwardingRole', 'Arn'] } }],
      },
    };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'cloudmend event forwarding to the security account; generated, do not edit',
    Resources: resources,
    Outputs: {},
  };
}

export interface BusPolicyScope {
  partition: string;
  region: string;
  securityAccount: string;
  organizationId: string;
}

/** The default bus of the security account in `region` accepts events from the organization's accounts only. */
export function eventBusPolicyFor(scope: BusPolicyScope): PolicyDocument & { Statement: Array<Record<string, unknown>> } {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CloudmendOrganizationEvents',
        Effect: 'Allow',
        Principal: '*',
        Action: ['events:PutEvents'],
        Resource: [`arn:${scope.partition}:events:${scope.region}:${scope.securityAccount}:event-bus/default`],
        Condition: { StringEquals: { 'aws:PrincipalOrgID': scope.organizationId } },
      },
    ] as never,
  };
}
