/**
 * Errors of the deployer: what synth refuses to build from the operator's
 * config and inventory, each naming what to change.
 */
import { UserFacingError } from '../bots/errors';

/** The config's scope cannot be deployed as one app (no region, mixed partitions). */
export class DeploymentError extends UserFacingError {
  override readonly name: string = 'DeploymentError';
}

/** esbuild could not build the handler bundle. */
export class BundleError extends UserFacingError {
  override readonly name: string = 'BundleError';
}

/** The member role's policies cannot be generated within IAM's rules and limits from the enabled bots. */
export class PolicyGenerationError extends UserFacingError {
  override readonly name: string = 'PolicyGenerationError';
}

/** The runtime config the handler ships with cannot be derived from cloudmend.yaml (e.g. it enables unknown bots). */
export class RuntimeConfigBuildError extends UserFacingError {
  override readonly name: string = 'RuntimeConfigBuildError';
}

/** The organization scope cannot be expressed as StackSet targets; the message names the field and the fix. */
export class StackSetScopeError extends UserFacingError {
  override readonly name: string = 'StackSetScopeError';
}
