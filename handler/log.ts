/**
 * One JSON object per line on stdout, with the field names of Powertools
 * Logger (level, message, timestamp, service) so the same CloudWatch Logs
 * Insights queries work. Not Powertools itself: measured here, it costs ~20 ms
 * of cold start and ~12 µs per line against ~1.4 µs for this.
 */
import type { BotLogger } from '../bots/types';

export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
const ORDER: Record<Level, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

export interface Logger extends BotLogger {
  error(message: string, extra?: Record<string, unknown>): void;
  /** A logger adding `fields` to every line (finding id, bot, request id). */
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: Level;
  service?: string;
  write?: (line: string) => void;
  fields?: Record<string, unknown>;
  now?: () => Date;
}

export function levelFromEnv(env: NodeJS.ProcessEnv = process.env): Level {
  const text = (env.POWERTOOLS_LOG_LEVEL ?? env.AWS_LAMBDA_LOG_LEVEL ?? env.LOG_LEVEL ?? 'INFO').toUpperCase();
  return text in ORDER ? (text as Level) : text === 'WARNING' ? 'WARN' : 'INFO';
}

/** Errors serialise to `{}` by default; keep what an operator needs. */
function serialisable(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? levelFromEnv();
  const threshold = ORDER[level];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const base = { service: options.service ?? 'cloudmend', ...options.fields };
  const emit = (level: Level) => (message: string, extra?: Record<string, unknown>) => {
    if (ORDER[level] < threshold) return;
    const fields: Record<string, unknown> = { level, message, timestamp: now().toISOString(), ...base };
    if (extra) for (const [key, value] of Object.entries(extra)) fields[key] = serialisable(value);
    write(JSON.stringify(fields));
  };
  return {
    debug: emit('DEBUG'),
    info: emit('INFO'),
    warn: emit('WARN'),
    error: emit('ERROR'),
    // Children (one per bot run) keep the level read once, not process.env again per run.
    child: (fields) => createLogger({ ...options, level, fields: { ...options.fields, ...fields } }),
  };
}
