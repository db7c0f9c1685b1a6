/** Errors in what the operator wrote: the config file and the inventory file it points to. */
import { UserFacingError } from '../bots/errors';

export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted field path, e.g. `bots.optIn[0]`. */
  field: string;
  message: string;
}

/**
 * Something in a valid cloudmend.yaml the operator should hear about, at its
 * file:line:column, never fatal: a `warning` where the config likely does not
 * do what its author meant (no bot enabled), `info` for a rule that is easy to
 * assume otherwise (the security account is always in scope).
 */
export interface ConfigNotice extends ConfigIssue {
  level: 'warning' | 'info';
  /** One line each, printed indented under the message (a list the message introduces). */
  details?: string[];
}

/** Every problem found in cloudmend.yaml at once, each at its file:line:column. */
export class ConfigError extends UserFacingError {
  override readonly name: string = 'ConfigError';
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `${issues.length === 1 ? 'a problem' : `${issues.length} problems`} in the cloudmend config:\n` +
        issues.map((i) => `  ${i.file}:${i.line}:${i.column}: ${i.field ? `${i.field}: ` : ''}${i.message}`).join('\n'),
    );
  }
}

/** The inventory file is missing, not JSON or not an inventory: `cloudmend discover` writes a new one. */
export class InventoryError extends UserFacingError {
  override readonly name: string = 'InventoryError';
}
