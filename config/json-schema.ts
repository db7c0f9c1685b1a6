import { z } from 'zod';
import { CloudmendConfig } from './schema';

/**
 * The JSON Schema of cloudmend.yaml, for editor completion and checking
 * (yaml-language-server). It describes the input form: defaults are optional.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(CloudmendConfig, { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    title: 'cloudmend configuration (cloudmend.yaml)',
  };
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
