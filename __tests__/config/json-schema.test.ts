import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchemaText } from '../../config/json-schema';

describe('config/cloudmend.schema.json', () => {
  it('is in sync with the zod schema (run `npm run schema` after changing config/schema.ts)', () => {
    const committed = readFileSync(join(__dirname, '../../config/cloudmend.schema.json'), 'utf8');
    expect(committed).toBe(configJsonSchemaText());
  });

  it('is what the example config points editors at', () => {
    const example = readFileSync(join(__dirname, '../../config/example.yaml'), 'utf8');
    expect(example.split('\n')[0]).toBe('# yaml-language-server: $schema=./cloudmend.schema.json');
  });

  it('offers completion for region names and rejects unknown keys', () => {
    const schema = JSON.parse(configJsonSchemaText());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.regions.properties.exclude.items.enum).toContain('eu-west-1');
    expect(schema.required).toEqual(expect.arrayContaining(['securityAccount', 'organization', 'bots']));
  });
});
