/**
 * What every handler-stack construct module needs to know about the stack it
 * adds to. Modules add their resources directly to `scope` (the stack), not to
 * a nested construct: a resource's logical id, and so its Terraform state
 * address, then stays the same whichever module creates it.
 */
import type { Construct } from 'constructs';
import { prefixed } from '../../config/operations-schema';
import { partitionOf } from '../../config/regions';
import { HANDLER_METRICS } from '../../config/runtime';
import type { CloudmendConfig } from '../../config/schema';
import type { BackendSettings } from '../backend';
import { handlerNames } from '../member-role-policy';

export interface HandlerCode {
  /** The zip built once by bundleHandler. */
  zipFile: string;
  zipSha256: string;
}

export interface HandlerStackProps {
  config: CloudmendConfig;
  region: string;
  /** In-scope accounts (ids) the handler may assume the member role in. */
  accounts: readonly string[];
  organizationId?: string;
  code: HandlerCode;
  configDigest: string;
  backend: BackendSettings;
}

export interface HandlerContext {
  scope: Construct;
  props: HandlerStackProps;
  config: CloudmendConfig;
  region: string;
  partition: string;
  /** The security account, where the handler runs. */
  account: string;
  names: HandlerResourceNames;
  /** ARN of a regional resource of the security account, e.g. arn('sqs', names.dlq). */
  arn(service: string, resource: string): string;
}

/** Names of the handler stack's resources: the ones policies name (handlerNames) and the operating ones. */
export type HandlerResourceNames = ReturnType<typeof handlerNames> & {
  alarmTopic: string;
  keyAlias: string;
  dashboard: string;
  /** Prefix of every alarm name; the alarm's job follows. */
  alarm: string;
  /** The `service` dimension (POWERTOOLS_SERVICE_NAME) the remediation metrics and their alarm share. */
  metricsService: string;
  /** The EventBridge rule of a source, e.g. rule('guardduty'). */
  rule(id: string): string;
};

export function handlerResourceNames(region: string, prefix = ''): HandlerResourceNames {
  const name = (base: string) => prefixed(prefix, base);
  return {
    ...handlerNames(region, prefix),
    alarmTopic: name(`cloudmend-alarms-${region}`),
    keyAlias: `alias/${name(`cloudmend-${region}`)}`,
    dashboard: name(`cloudmend-${region}`),
    alarm: name(`cloudmend-${region}`),
    metricsService: name(HANDLER_METRICS.defaultService),
    rule: (id) => name(`cloudmend-${id}`),
  };
}

export function handlerContext(scope: Construct, props: HandlerStackProps): HandlerContext {
  const { config, region } = props;
  const partition = partitionOf(region);
  const account = config.securityAccount;
  return {
    scope,
    props,
    config,
    region,
    partition,
    account,
    names: handlerResourceNames(region, config.naming.prefix),
    arn: (service, resource) => `arn:${partition}:${service}:${region}:${account}:${resource}`,
  };
}

export const json = (value: unknown) => JSON.stringify(value);
