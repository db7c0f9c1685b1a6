/**
 * The CIS AWS Foundations Benchmark 1.2.0 monitoring controls 3.1-3.14: each a
 * metric filter on the trail's log group, a metric counting its matches and an
 * alarm on any match. Patterns are the benchmark's, word for word, so an
 * auditor's check recognises them.
 */
export interface CisMetricFilter {
  /** The CIS 1.2.0 rule id. */
  id: string;
  /** Metric and filter name, and the alarm name after the `cloudmend-cis-` prefix. */
  name: string;
  pattern: string;
  /** The Security Hub consolidated control id. */
  control: string;
}

export const CIS_METRIC_FILTERS: readonly CisMetricFilter[] = [
  {
    id: '3.1',
    control: 'CloudWatch.2',
    name: 'UnauthorizedAPICalls',
    pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  },
  {
    id: '3.2',
    control: 'CloudWatch.3',
    name: 'ConsoleSigninWithoutMFA',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
  },
  {
    id: '3.3',
    control: 'CloudWatch.1',
    name: 'RootAccountUsage',
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  },
  {
    id: '3.4',
    control: 'CloudWatch.4',
    name: 'IAMPolicyChanges',
    pattern:
      '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
  },
  {
    id: '3.5',
    control: 'CloudWatch.5',
    name: 'CloudTrailChanges',
    pattern:
      '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  },
  {
    id: '3.6',
    control: 'CloudWatch.6',
    name: 'ConsoleAuthenticationFailure',
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  },
  {
    id: '3.7',
    control: 'CloudWatch.7',
    name: 'DisableOrDeleteCMK',
    pattern: '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}',
  },
  {
    id: '3.8',
    control: 'CloudWatch.8',
    name: 'S3BucketPolicyChanges',
    pattern:
      '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  },
  {
    id: '3.9',
    control: 'CloudWatch.9',
    name: 'AWSConfigChanges',
    pattern:
      '{($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder))}',
  },
  {
    id: '3.10',
    control: 'CloudWatch.10',
    name: 'SecurityGroupChanges',
    pattern:
      '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
  },
  {
    id: '3.11',
    control: 'CloudWatch.11',
    name: 'NetworkACLChanges',
    pattern:
      '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  },
  {
    id: '3.12',
    control: 'CloudWatch.12',
    name: 'NetworkGatewayChanges',
    pattern:
      '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  },
  {
    id: '3.13',
    control: 'CloudWatch.13',
    name: 'RouteTableChanges',
    pattern:
      '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
  },
  {
    id: '3.14',
    control: 'CloudWatch.14',
    name: 'VPCChanges',
    pattern:
      '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
  },
];
