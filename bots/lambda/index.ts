import type { Bot } from '../types';
import lambdaDisable from './lambda_disable';
import lambdaDetachBlanketPermissions from './lambda_detach_blanket_permissions';
import lambdaDetachExternalLayer from './lambda_detach_external_layer';
import lambdaRemovePublicAccess from './lambda_remove_public_access';

/** The lambda bots, in catalog order. */
export const LAMBDA_BOTS: readonly Bot[] = [
  lambdaDisable,
  lambdaRemovePublicAccess,
  lambdaDetachExternalLayer,
  lambdaDetachBlanketPermissions,
];
