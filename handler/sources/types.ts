import type { Finding } from '../../bots/types';
import type { Rejection } from '../rejection';

/** A finding as the handler carries it: plus what the adapter assumed, and where it came from. */
export interface SourcedFinding extends Finding {
  /** Assumptions the adapter made (e.g. a missing region filled in), reported with every result. */
  notes: string[];
  /** Envelope record the finding came from (SQS message id for partial batch failures). */
  recordId?: string;
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
