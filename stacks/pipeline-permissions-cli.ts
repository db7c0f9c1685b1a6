/** Writes docs/permissions.md from stacks/pipeline-permissions.ts: `npx tsx stacks/pipeline-permissions-cli.ts`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPermissionsDoc } from './pipeline-permissions';

writeFileSync(join(__dirname, '..', 'docs', 'permissions.md'), renderPermissionsDoc());
