/**
 * Undo for the trail settings bots change (issue #11): log file validation,
 * the KMS key of the log files, CloudWatch Logs delivery. The change's target
 * is the trail ARN, whose Region is the trail's home Region, where the trail
 * is read and updated; the undo session names that Region (`ids.trailRegion`)
 * as the bot's own session did. What the bots create for a trail (a KMS key,
 * the delivery role and log group) is left, each kind saying why.
 */
import type { CloudTrailClient, Trail } from '@aws-sdk/client-cloudtrail';
import type { PlannedChange } from '../changes';
import type { UndoContext, Undoer, UndoKind } from '../types';
import { sdk } from '../sdk';

const TRAIL_IN_HOME_REGION = 'arn:{partition}:cloudtrail:{trailRegion}:{account}:trail/{resourceId}';

function regionOfTrail(target: string): string | undefined {
  return /^arn:[^:]+:cloudtrail:([^:]+):/.exec(target)?.[1];
}

async function trailClient(ctx: UndoContext): Promise<CloudTrailClient> {
  const { CloudTrailClient } = await sdk.cloudTrail();
  const region = regionOfTrail(ctx.target) ?? ctx.region;
  return region === ctx.region ? ctx.client(CloudTrailClient) : ctx.client(CloudTrailClient, { region });
}

async function readTrailSettings(ctx: UndoContext): Promise<Trail> {
  const { GetTrailCommand } = await sdk.cloudTrail();
  const { Trail: trail } = await (await trailClient(ctx)).send(new GetTrailCommand({ Name: ctx.target }));
  if (!trail) throw new Error(`GetTrail returned no trail for ${ctx.target}`);
  return trail;
}

function trailUndo(how: string, what: string): UndoKind {
  return {
    reversible: true,
    how,
    permissions: [
      {
        actions: ['cloudtrail:GetTrail', 'cloudtrail:UpdateTrail'],
        resources: [TRAIL_IN_HOME_REGION],
        reason: `undo: read the trail and put its ${what} back, in the trail's home Region`,
      },
    ],
  };
}

/** The undo record of a trail update, naming the home Region the undo session needs. */
export function trailChange(kind: string, homeRegion: string, before: unknown, after: unknown): NonNullable<PlannedChange['undo']> {
  return { kind, before, after, ids: { trailRegion: [homeRegion] } };
}

export const LOG_FILE_VALIDATION_KIND = 'log-file-validation';
export const LOG_FILE_VALIDATION_UNDO = trailUndo(
  'turns log file validation of the trail off again (digest files already delivered stay)',
  'log file validation',
);
export const logFileValidationUndoer: Undoer = {
  async read(ctx) {
    return { LogFileValidationEnabled: (await readTrailSettings(ctx)).LogFileValidationEnabled === true };
  },
  async write(ctx, state) {
    const { UpdateTrailCommand } = await sdk.cloudTrail();
    const { LogFileValidationEnabled } = state as { LogFileValidationEnabled: boolean };
    await (await trailClient(ctx)).send(new UpdateTrailCommand({ Name: ctx.target, EnableLogFileValidation: LogFileValidationEnabled }));
  },
};

export const TRAIL_ENCRYPTION_KIND = 'trail-encryption';
export const TRAIL_ENCRYPTION_UNDO = trailUndo(
  'makes the trail encrypt new log files with SSE-S3 again, as before (files already written with the key keep needing it)',
  'log file encryption',
);
export const trailEncryptionUndoer: Undoer = {
  async read(ctx) {
    return { KmsKeyId: (await readTrailSettings(ctx)).KmsKeyId || null };
  },
  async write(ctx, state) {
    const { UpdateTrailCommand } = await sdk.cloudTrail();
    // An empty KmsKeyId is how UpdateTrail goes back to SSE-S3.
    const { KmsKeyId } = state as { KmsKeyId: string | null };
    await (await trailClient(ctx)).send(new UpdateTrailCommand({ Name: ctx.target, KmsKeyId: KmsKeyId ?? '' }));
  },
};

export const CLOUDWATCH_DELIVERY_KIND = 'trail-cloudwatch-delivery';
export const CLOUDWATCH_DELIVERY_UNDO = trailUndo(
  'stops the trail delivering to CloudWatch Logs (the log group and its events stay)',
  'CloudWatch Logs delivery',
);
export const cloudWatchDeliveryUndoer: Undoer = {
  async read(ctx) {
    const trail = await readTrailSettings(ctx);
    return trail.CloudWatchLogsLogGroupArn
      ? { CloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn: trail.CloudWatchLogsRoleArn ?? null }
      : null;
  },
  async write(ctx, state) {
    const { UpdateTrailCommand } = await sdk.cloudTrail();
    const delivery = state as { CloudWatchLogsLogGroupArn: string; CloudWatchLogsRoleArn: string } | null;
    await (await trailClient(ctx)).send(
      new UpdateTrailCommand({
        Name: ctx.target,
        // Empty strings are how UpdateTrail stops the delivery.
        CloudWatchLogsLogGroupArn: delivery?.CloudWatchLogsLogGroupArn ?? '',
        CloudWatchLogsRoleArn: delivery?.CloudWatchLogsRoleArn ?? '',
      }),
    );
  },
};

export const TRAIL_KEY_KIND = 'trail-key';
export const TRAIL_KEY_UNDO: UndoKind = {
  reversible: false,
  why: 'the KMS key created for the trail (its alias and rotation) is left: log files written with it can only be read with it; schedule its deletion by hand once no log file needs it',
};
export const TRAIL_KEY_CHANGE = { kind: TRAIL_KEY_KIND, before: null, after: null } as const;

export const DELIVERY_SETUP_KIND = 'cloudwatch-delivery-setup';
export const DELIVERY_SETUP_UNDO: UndoKind = {
  reversible: false,
  why: 'the CloudWatch Logs group and the role CloudTrail delivers through are left: the group holds the events delivered so far, and both serve the trail again if delivery is turned back on',
};
export const DELIVERY_SETUP_CHANGE = { kind: DELIVERY_SETUP_KIND, before: null, after: null } as const;
