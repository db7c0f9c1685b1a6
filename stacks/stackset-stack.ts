/**
 * The organization-wide rollout in stackset mode: one Terraform stack in the
 * StackSet admin account (the management account, or a StackSets delegated
 * administrator with `call_as = DELEGATED_ADMIN`) holding service-managed
 * StackSets and their OU-targeted instances. One provider, whatever the number
 * of accounts: CloudFormation reaches the members, Terraform never does.
 *
 * Auto-deployment is on and stacks are not retained on removal: an account
 * that joins an in-scope OU gets the role, one that leaves loses it, with no
 * synth and no apply. Instances live in one region: IAM is global.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudformationStackSet } from '@cdktf/provider-aws/lib/cloudformation-stack-set';
import { CloudformationStackSetInstance } from '@cdktf/provider-aws/lib/cloudformation-stack-set-instance';
import { applyBackend, type BackendSettings } from './backend';
import type { StackSetInstanceTargets } from './stackset-targets';

export const STACKSET_STACK_NAME = 'cloudmend-stacksets';

export interface StackSetTemplate {
  /** StackSet name, stable: renaming one replaces every stack instance. */
  name: string;
  description: string;
  body: string;
  /** Instances to deploy (a template may target fewer OUs than another). */
  instances: StackSetInstanceTargets[];
  /** Regions of the instances: one for IAM, every enabled region for regional resources. */
  regions: readonly string[];
}

export interface StackSetStackProps {
  partition: string;
  /** Region of the StackSets themselves. */
  region: string;
  /** The admin account, when known (pins the provider to it). */
  adminAccount?: string;
  /** Role the pipeline assumes there; absent: its own credentials. */
  adminRoleName?: string;
  /** True when the admin account is a delegated administrator, not the management account. */
  delegatedAdmin: boolean;
  templates: readonly StackSetTemplate[];
  backend: BackendSettings;
  /** The stack's name (naming.prefix applied); default STACKSET_STACK_NAME. */
  stackName?: string;
  /** default_tags (stacks/tags.ts): the StackSets carry them, and CloudFormation passes them to every instance's resources. */
  tags?: Record<string, string>;
}

export class StackSetStack extends TerraformStack {
  constructor(scope: Construct, props: StackSetStackProps) {
    super(scope, props.stackName ?? STACKSET_STACK_NAME);
    applyBackend(this, props.backend, props.stackName ?? STACKSET_STACK_NAME);
    new AwsProvider(this, 'aws', {
      region: props.region,
      ...(props.adminAccount ? { allowedAccountIds: [props.adminAccount] } : {}),
      ...(props.adminAccount && props.adminRoleName
        ? {
            assumeRole: [
              {
                roleArn: `arn:${props.partition}:iam::${props.adminAccount}:role/${props.adminRoleName}`,
                sessionName: 'cloudmend-deployer',
              },
            ],
          }
        : {}),
      defaultTags: [{ tags: props.tags ?? { 'cloudmend:component': 'stackset', 'cloudmend:managed-by': 'cloudmend' } }],
    });
    const callAs = props.delegatedAdmin ? { callAs: 'DELEGATED_ADMIN' } : {};
    for (const template of props.templates) {
      const set = new CloudformationStackSet(this, template.name, {
        name: template.name,
        description: template.description,
        permissionModel: 'SERVICE_MANAGED',
        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
        capabilities: ['CAPABILITY_NAMED_IAM'],
        templateBody: template.body,
        managedExecution: { active: true },
        operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
        ...callAs,
        // AWS fills in the service-managed administration role; without this every plan would show a diff.
        lifecycle: { ignoreChanges: ['administration_role_arn'] },
      });
      template.instances.forEach((targets, i) => {
        for (const region of template.regions) {
          new CloudformationStackSetInstance(this, `${template.name}-${region}-${i + 1}`, {
            stackSetName: set.name,
            stackSetInstanceRegion: region,
            deploymentTargets: {
              organizationalUnitIds: targets.organizationalUnitIds,
              ...(targets.accounts ? { accounts: targets.accounts } : {}),
              ...(targets.accountFilterType ? { accountFilterType: targets.accountFilterType } : {}),
            },
            retainStack: false,
            ...callAs,
          });
        }
      });
    }
  }
}
