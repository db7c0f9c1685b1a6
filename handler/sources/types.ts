import type { Finding } from '../../bots/types';
import type { SourceDeclaration } from '../../config/sources';
import type { Rejection } from '../rejection';

/** A finding as the handler carries it: plus what the adapter assumed, and where it came from. */
export interface SourcedFinding extends Finding {
  /** Assumptions the adapter made (e.g. a missing region filled in), reported with every result. */
  notes: string[];
  /** Envelope record the finding came from (SQS message id for partial batch failures). */
  recordId?: string;
  /** The product that reported it, where the source has several (a Security Hub ProductArn). */
  product?: string;
}

export interface SourceOutput {
  findings: SourcedFinding[];
  rejections: Rejection[];
}

/** What an adapter may need beyond the payload; passed in so adapters stay pure. */
export interface SourceOptions {
  /** The handler's own region: the last resort when a finding names none. */
  defaultRegion: string;
}

export type SourceAdapter = (payload: Record<string, unknown>, options: SourceOptions) => SourceOutput;

/**
 * One finding source, as the handler reads it: its declaration (mapping key,
 * EventBridge rules: config/sources.ts, shared with the deployer), how to tell
 * its payloads apart from the others', and its adapter.
 */
export interface FindingSourceModule {
  declaration: SourceDeclaration;
  /** What its payloads look like, for the message about one nobody recognises. */
  expected: string;
  /** True for a payload of this source; no two sources recognise the same payload. */
  recognises(payload: Record<string, unknown>): boolean;
  read: SourceAdapter;
}
