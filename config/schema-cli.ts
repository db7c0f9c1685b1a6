/** `npm run schema`: regenerates config/cloudmend.schema.json from the zod schema. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchemaText } from './json-schema';

const target = join(__dirname, 'cloudmend.schema.json');
writeFileSync(target, configJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
