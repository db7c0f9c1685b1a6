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
