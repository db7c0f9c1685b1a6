/**
 * Envelopes around a finding: SNS records (Message a JSON string, or already an
 * object), SQS records (body holding an SNS notification or an EventBridge
 * event), EventBridge events and bare messages (local invoke). Each message
 * keeps the id of its record so an SQS batch can report which records failed.
 */
import { reject, type Rejection } from '../rejection';
import { isObject, str, type Json } from './fields';

export interface Message {
  payload: Json;
  /** SQS messageId (for batchItemFailures) or SNS MessageId. */
  recordId?: string;
  /** How it arrived, for reports: `sns`, `sqs`, `sqs/sns`, `eventbridge`, `direct`. */
  via: string;
}

export interface Unwrapped {
  messages: Message[];
  rejections: Rejection[];
}

type Parsed = { ok: true; value: Json } | { ok: false; reason: string };

function parseJsonObject(value: unknown, what: string): Parsed {
  if (isObject(value)) return { ok: true, value };
  if (typeof value !== 'string')
    return { ok: false, reason: `${what} is ${value === null ? 'null' : typeof value}, expected a JSON object` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    return { ok: false, reason: `${what} is not JSON (${(error as Error).message})` };
  }
  return isObject(parsed) ? { ok: true, value: parsed } : { ok: false, reason: `${what} is JSON but not an object` };
}

/** An SNS notification as SQS (or an HTTP subscriber) receives it. */
function isSnsNotification(value: Json): boolean {
  return value.Type === 'Notification' && 'Message' in value && 'TopicArn' in value;
}

function unwrapRecord(record: unknown, index: number): Message | Rejection {
  if (!isObject(record)) return reject('malformed-event', `record #${index} is not an object`);
  if (isObject(record.Sns) || record.EventSource === 'aws:sns') {
    const sns = isObject(record.Sns) ? record.Sns : {};
    const recordId = str(sns.MessageId);
    const parsed = parseJsonObject(sns.Message, `SNS record #${index} Message`);
    if (!parsed.ok) return reject('malformed-event', parsed.reason, recordId ? { recordId } : {});
    return { payload: parsed.value, via: 'sns', ...(recordId ? { recordId } : {}) };
  }
  if (record.eventSource === 'aws:sqs' || ('body' in record && 'messageId' in record)) {
    const recordId = str(record.messageId);
    const from = recordId ? { recordId } : {};
    const body = parseJsonObject(record.body, `SQS record #${index} body`);
    if (!body.ok) return reject('malformed-event', body.reason, from);
    if (!isSnsNotification(body.value)) return { payload: body.value, via: 'sqs', ...from };
    const inner = parseJsonObject(body.value.Message, `SQS record #${index}: SNS notification Message`);
    if (!inner.ok) return reject('malformed-event', inner.reason, from);
    return { payload: inner.value, via: 'sqs/sns', ...from };
  }
  return reject(
    'malformed-event',
    `record #${index} is neither an SNS record (EventSource "aws:sns", Sns.Message) nor an SQS record (eventSource "aws:sqs", body)`,
  );
}

export function unwrapEvent(event: unknown): Unwrapped {
  if (!isObject(event)) {
    const got = Array.isArray(event) ? 'a list' : event === null ? 'null' : typeof event;
    return {
      messages: [],
      rejections: [
        reject('malformed-event', `the event is ${got}; expected an SNS or SQS event, an EventBridge event or a finding object`),
      ],
    };
  }
  if ('Records' in event) {
    if (!Array.isArray(event.Records) || event.Records.length === 0) {
      return {
        messages: [],
        rejections: [reject('malformed-event', 'the event has no Records (expected a non-empty list of SNS or SQS records)')],
      };
    }
    const out: Unwrapped = { messages: [], rejections: [] };
    // A plain loop, not forEach: a sparse list's holes are records too, and must be reported.
    for (let index = 0; index < event.Records.length; index++) {
      const result = unwrapRecord(event.Records[index], index);
      if ('code' in result) out.rejections.push(result);
      else out.messages.push(result);
    }
    return out;
  }
  if (isSnsNotification(event)) {
    const inner = parseJsonObject(event.Message, 'SNS notification Message');
    const recordId = str(event.MessageId);
    if (!inner.ok) return { messages: [], rejections: [reject('malformed-event', inner.reason, recordId ? { recordId } : {})] };
    return { messages: [{ payload: inner.value, via: 'sns', ...(recordId ? { recordId } : {}) }], rejections: [] };
  }
  const isEventBridge = typeof event['detail-type'] === 'string' && 'detail' in event;
  return { messages: [{ payload: event, via: isEventBridge ? 'eventbridge' : 'direct' }], rejections: [] };
}
