/**
 * Event -> findings: unwrap the envelope, recognise the payload's format and
 * hand it to its adapter. Never throws on bad input: whatever cannot become a
 * finding becomes a rejection that says what was expected.
 */
import { reject, type Rejection } from '../rejection';
import { fromCloudGuard } from './cloudguard';
import { fromConfig } from './config';
import { unwrapEvent, type Message } from './envelope';
import { isObject, str, type Json } from './fields';
import { fromGuardDuty } from './guardduty';
import { fromSecurityHub } from './securityhub';
import { dropAggregatedCopies } from '../aggregated-copies';
import { fromSeed } from './seed';
import type { SourceAdapter, SourceOptions, SourceOutput, SourcedFinding } from './types';

export type { SourcedFinding, SourceOptions } from './types';

const EXPECTED =
  'expected a CloudGuard compliance notification (rule, entity, status), a seed-format finding (rule, entity, remediation.actions), ' +
  'or an EventBridge event with detail-type "GuardDuty Finding", "Security Hub Findings - Imported"/"- Custom Action" or "Config Rules Compliance Change"';

function adapterFor(payload: Json): SourceAdapter | string {
  const detailType = str(payload['detail-type']);
  if (detailType !== undefined) {
    if (detailType === 'GuardDuty Finding') return fromGuardDuty;
    if (detailType.startsWith('Security Hub Findings')) return fromSecurityHub;
    if (detailType === 'Config Rules Compliance Change') return fromConfig;
    return `EventBridge event with detail-type "${detailType}" (source ${str(payload.source) ?? 'unknown'}) is not a finding cloudmend reads; ${EXPECTED}`;
  }
  if (isObject(payload.rule) && isObject(payload.entity)) {
    if (isObject(payload.remediation) && !('status' in payload)) return fromSeed;
    return fromCloudGuard;
  }
  const keys = Object.keys(payload).slice(0, 8).join(', ');
  return `unrecognised message (keys: ${keys || 'none'}); ${EXPECTED}`;
}

function parseMessage(message: Message, options: SourceOptions): SourceOutput {
  const adapter = adapterFor(message.payload);
  if (typeof adapter === 'string') return { findings: [], rejections: [reject('unrecognised-format', adapter)] };
  try {
    return dropAggregatedCopies(str(message.payload['detail-type']), adapter(message.payload, options), options.defaultRegion);
  } catch (error) {
    // Adapters are written not to throw; if one does, the message is still reported, not lost.
    return {
      findings: [],
      rejections: [reject('malformed-event', `could not read the message: ${(error as Error)?.message ?? String(error)}`)],
    };
  }
}

export interface ParsedEvent {
  findings: SourcedFinding[];
  rejections: Rejection[];
}

export function parseEvent(event: unknown, options: SourceOptions): ParsedEvent {
  let unwrapped;
  try {
    unwrapped = unwrapEvent(event);
  } catch (error) {
    return {
      findings: [],
      rejections: [reject('malformed-event', `could not read the event: ${(error as Error)?.message ?? String(error)}`)],
    };
  }
  const out: ParsedEvent = { findings: [], rejections: [...unwrapped.rejections] };
  for (const message of unwrapped.messages) {
    const parsed = parseMessage(message, options);
    const recordId = message.recordId;
    for (const finding of parsed.findings) out.findings.push(recordId ? { ...finding, recordId } : finding);
    for (const rejection of parsed.rejections) out.rejections.push(recordId ? { ...rejection, recordId } : rejection);
  }
  return out;
}
