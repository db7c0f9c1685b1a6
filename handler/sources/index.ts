/**
 * Event -> findings: unwrap the envelope, recognise the payload's source and
 * hand it to that source's adapter. Never throws on bad input: whatever cannot
 * become a finding becomes a rejection that says what was expected.
 *
 * Adding a source: a module here (declaration, recognises, adapter), its
 * declaration in config/sources.ts (mapping key, EventBridge rules), and an
 * entry in SOURCES.
 */
import { reject, type Rejection } from '../rejection';
import { cloudGuardSource } from './cloudguard';
import { configSource } from './config';
import { unwrapEvent, type Message } from './envelope';
import { str, type Json } from './fields';
import { guardDutySource } from './guardduty';
import { securityHubSource } from './securityhub';
import { seedSource } from './seed';
import type { FindingSourceModule, SourceOptions, SourceOutput, SourcedFinding } from './types';
import { dropAggregatedCopies } from '../aggregated-copies';

export type { SourcedFinding, SourceOptions } from './types';

/** Every source the handler reads; each recognises payloads no other does. */
export const SOURCES: readonly FindingSourceModule[] = [cloudGuardSource, seedSource, guardDutySource, securityHubSource, configSource];

const EXPECTED = `expected ${SOURCES.map((s) => s.expected).join(', or ')}`;

function sourceFor(payload: Json): FindingSourceModule | string {
  const source = SOURCES.find((s) => s.recognises(payload));
  if (source) return source;
  const detailType = str(payload['detail-type']);
  if (detailType !== undefined) {
    return `EventBridge event with detail-type "${detailType}" (source ${str(payload.source) ?? 'unknown'}) is not a finding cloudmend reads; ${EXPECTED}`;
  }
  const keys = Object.keys(payload).slice(0, 8).join(', ');
  return `unrecognised message (keys: ${keys || 'none'}); ${EXPECTED}`;
}

function parseMessage(message: Message, options: SourceOptions): SourceOutput {
  const source = sourceFor(message.payload);
  if (typeof source === 'string') return { findings: [], rejections: [reject('unrecognised-format', source)] };
  try {
    return dropAggregatedCopies(str(message.payload['detail-type']), source.read(message.payload, options), options.defaultRegion);
  } catch (error) {
    // Adapters are written not to throw; if one does, the message is still reported, not lost.
    return {
      findings: [],
      rejections: [
        reject('malformed-event', `could not read the ${source.declaration.title} message: ${(error as Error)?.message ?? String(error)}`, {
          source: source.declaration.name,
        }),
      ],
    };
  }
}

export interface ParsedEvent {
  findings: SourcedFinding[];
  rejections: Rejection[];
}

export function parseEvent(event: unknown, options: SourceOptions): ParsedEvent {
  let unwrapped: ReturnType<typeof unwrapEvent>;
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
