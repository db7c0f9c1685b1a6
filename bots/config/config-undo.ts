/**
 * Undo for what config_enable changes on a recorder that already existed (issue #11):
 * its settings (role, recording group, recording mode), put back as they were,
 * and its recording, stopped again. What the bot sets up from nothing (a
 * recorder, a delivery channel, the service-linked role, the bucket) is kept,
 * each kind saying why. A recorder is named in the undo record, and the undo
 * session names it (`{recorderName}`) and the role put back (`{roleName}`).
 */
import type { ConfigServiceClient, ConfigurationRecorder, RecordingGroup, RecordingMode } from '@aws-sdk/client-config-service';
import type { PlannedChange } from '../changes';
import type { UndoContext, Undoer, UndoKind } from '../types';
import { sdk } from '../sdk';

export const CONFIG_SERVICE_NAME = 'config.amazonaws.com';

/** A recorder's ARN ends in its name and an id AWS assigns. */
const RECORDER_ARN = 'arn:{partition}:config:{region}:{account}:configuration-recorder/{recorderName}/*';

/** A recorder's settings as undo compares and restores them: every field AWS may leave out given its default. */
export interface RecorderSettings {
  recorder: string;
  roleARN: string | null;
  recordingGroup: {
    allSupported: boolean;
    includeGlobalResourceTypes: boolean;
    resourceTypes: string[];
    exclusionByResourceTypes: string[];
    useOnly: string;
  };
  recordingMode: { recordingFrequency: string; recordingModeOverrides: unknown[] };
}

export interface RecordingState {
  recorder: string;
  recording: boolean;
}

const sorted = (values: readonly string[] | undefined) => [...(values ?? [])].sort();

/** The recording strategy AWS applies when none is given. */
function useOnlyOf(group: RecordingGroup | undefined): string {
  if (group?.recordingStrategy?.useOnly) return group.recordingStrategy.useOnly;
  if (group?.allSupported ?? true) return 'ALL_SUPPORTED_RESOURCE_TYPES';
  return group?.exclusionByResourceTypes?.resourceTypes?.length ? 'EXCLUSION_BY_RESOURCE_TYPES' : 'INCLUSION_BY_RESOURCE_TYPES';
}

export function recorderSettings(recorder: ConfigurationRecorder): RecorderSettings {
  const group = recorder.recordingGroup;
  const mode = recorder.recordingMode;
  return {
    recorder: recorder.name ?? '',
    roleARN: recorder.roleARN ?? null,
    recordingGroup: {
      // A recorder put without a recording group records every supported type.
      allSupported: group?.allSupported ?? group === undefined,
      includeGlobalResourceTypes: group?.includeGlobalResourceTypes ?? false,
      resourceTypes: sorted(group?.resourceTypes),
      exclusionByResourceTypes: sorted(group?.exclusionByResourceTypes?.resourceTypes),
      useOnly: useOnlyOf(group),
    },
    recordingMode: {
      recordingFrequency: mode?.recordingFrequency ?? 'CONTINUOUS',
      recordingModeOverrides: mode?.recordingModeOverrides ?? [],
    },
  };
}

/** The recorder as PutConfigurationRecorder takes it back: only the fields that say something. */
function recorderInput(settings: RecorderSettings): ConfigurationRecorder {
  const g = settings.recordingGroup;
  const group: RecordingGroup = {
    allSupported: g.allSupported,
    includeGlobalResourceTypes: g.includeGlobalResourceTypes,
    ...(g.resourceTypes.length > 0 ? { resourceTypes: g.resourceTypes as RecordingGroup['resourceTypes'] } : {}),
    ...(g.exclusionByResourceTypes.length > 0
      ? { exclusionByResourceTypes: { resourceTypes: g.exclusionByResourceTypes as NonNullable<RecordingGroup['resourceTypes']> } }
      : {}),
    recordingStrategy: { useOnly: g.useOnly as NonNullable<RecordingGroup['recordingStrategy']>['useOnly'] },
  };
  const mode = settings.recordingMode;
  return {
    name: settings.recorder,
    ...(settings.roleARN ? { roleARN: settings.roleARN } : {}),
    recordingGroup: group,
    // CONTINUOUS with no overrides is what a recorder put without a mode gets: not sent, as before.
    ...(mode.recordingFrequency !== 'CONTINUOUS' || mode.recordingModeOverrides.length > 0 ? { recordingMode: mode as RecordingMode } : {}),
  };
}

async function configClient(ctx: UndoContext): Promise<ConfigServiceClient> {
  const { ConfigServiceClient: Client } = await sdk.configService();
  return ctx.client(Client);
}

function recorderOf(ctx: UndoContext): string {
  const { recorder } = (ctx.change?.after ?? {}) as { recorder?: unknown };
  if (typeof recorder !== 'string' || recorder === '') throw new Error(`undo of ${ctx.target}: the change recorded no recorder name`);
  return recorder;
}

async function readRecorder(ctx: UndoContext): Promise<ConfigurationRecorder | undefined> {
  const { DescribeConfigurationRecordersCommand } = await sdk.configService();
  const name = recorderOf(ctx);
  const { ConfigurationRecorders = [] } = await (await configClient(ctx)).send(
    new DescribeConfigurationRecordersCommand({ ConfigurationRecorderNames: [name] }),
  );
  return ConfigurationRecorders.find((r) => r.name === name);
}

/** The name at the end of a role ARN (its path left out), for the undo session's `{roleName}`. */
export function roleNameOfArn(arn: string | null | undefined): string | undefined {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined;
}

export const RECORDER_SETTINGS_KIND = 'recorder-settings';
export const RECORDER_SETTINGS_UNDO: UndoKind = {
  reversible: true,
  how: 'puts the recorder’s previous role, recording group and recording mode back (what it records goes back to what it recorded)',
  recordsIds: ['recorderName', 'roleName'],
  permissions: [
    {
      actions: ['config:DescribeConfigurationRecorders', 'config:PutConfigurationRecorder'],
      resources: [RECORDER_ARN],
      reason: 'undo: read the recorder and put its previous settings back, that recorder only',
    },
    {
      actions: ['iam:PassRole'],
      // The role the recorder had, named in the change record.
      resources: ['arn:{partition}:iam::{account}:role/{roleName}', 'arn:{partition}:iam::{account}:role/*/{roleName}'],
      conditions: { StringEquals: { 'iam:PassedToService': CONFIG_SERVICE_NAME } },
      reason: 'undo: hand the recorder’s previous role back to AWS Config (that role only, to AWS Config only)',
      global: true,
    },
  ],
};

export const recorderSettingsUndoer: Undoer = {
  async read(ctx) {
    const recorder = await readRecorder(ctx);
    if (!recorder) throw new Error(`undo of ${ctx.target}: recorder ${recorderOf(ctx)} no longer exists`);
    return recorderSettings(recorder);
  },
  async write(ctx, state) {
    const { PutConfigurationRecorderCommand } = await sdk.configService();
    await (await configClient(ctx)).send(
      new PutConfigurationRecorderCommand({ ConfigurationRecorder: recorderInput(state as RecorderSettings) }),
    );
  },
};

/** The undo record of a settings change: the recorder and the role put back, named for the undo session. */
export function recorderSettingsChange(before: RecorderSettings, after: RecorderSettings): NonNullable<PlannedChange['undo']> {
  const role = roleNameOfArn(before.roleARN);
  return {
    kind: RECORDER_SETTINGS_KIND,
    before,
    after,
    ids: { recorderName: [before.recorder], ...(role ? { roleName: [role] } : {}) },
  };
}

export const RECORDING_KIND = 'recorder-recording';
export const RECORDING_UNDO: UndoKind = {
  reversible: true,
  how: 'stops the recorder again, as it was before (AWS Config then records nothing in the Region; the history recorded stays)',
  recordsIds: ['recorderName'],
  permissions: [
    {
      actions: ['config:DescribeConfigurationRecorderStatus', 'config:StopConfigurationRecorder'],
      resources: [RECORDER_ARN],
      reason: 'undo: read whether the recorder records, and stop it, that recorder only',
    },
  ],
};

export const recordingUndoer: Undoer = {
  async read(ctx): Promise<RecordingState> {
    const { DescribeConfigurationRecorderStatusCommand } = await sdk.configService();
    const recorder = recorderOf(ctx);
    const { ConfigurationRecordersStatus = [] } = await (await configClient(ctx)).send(
      new DescribeConfigurationRecorderStatusCommand({ ConfigurationRecorderNames: [recorder] }),
    );
    return { recorder, recording: ConfigurationRecordersStatus.find((s) => s.name === recorder)?.recording === true };
  },
  async write(ctx, state) {
    const { StopConfigurationRecorderCommand } = await sdk.configService();
    const { recorder, recording } = state as RecordingState;
    // The bot only starts a stopped recorder: the state before is always stopped.
    if (recording) throw new Error(`undo of ${ctx.target}: only stopping the recorder again is supported`);
    await (await configClient(ctx)).send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: recorder }));
  },
};

export function recordingChange(recorder: string): NonNullable<PlannedChange['undo']> {
  return {
    kind: RECORDING_KIND,
    before: { recorder, recording: false },
    after: { recorder, recording: true },
    ids: { recorderName: [recorder] },
  };
}

export const CONFIG_SETUP_KIND = 'config-setup';
export const CONFIG_SETUP_UNDO: UndoKind = {
  reversible: false,
  why:
    'the recorder and delivery channel cloudmend set up (and the recording it started on them) are kept: removing them would stop ' +
    'AWS Config recording the account’s configuration history, the evidence Config.1 asks for; stop or delete them by hand if unwanted',
};
export const CONFIG_SETUP_CHANGE = { kind: CONFIG_SETUP_KIND, before: null, after: null } as const;

export const SERVICE_LINKED_ROLE_KIND = 'config-service-linked-role';
export const SERVICE_LINKED_ROLE_UNDO: UndoKind = {
  reversible: false,
  why:
    'AWSServiceRoleForConfig is AWS Config’s own service-linked role, shared by every recorder and rule of the account; AWS lets ' +
    'it be deleted only once nothing in AWS Config uses it',
};
export const SERVICE_LINKED_ROLE_CHANGE = { kind: SERVICE_LINKED_ROLE_KIND, before: null, after: null } as const;
