/**
 * Cold start: loading the handler module loads no AWS SDK client. STS and SNS
 * load on first use, and each bot loads its own client when it runs, so an
 * invocation pays only for the services it touches.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');

it('loading handler/index.ts loads no @aws-sdk/client-* module', () => {
  const script = `
    require('./handler/index.ts');
    const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/]@aws-sdk[\\\\/]client-/.test(f));
    process.stdout.write(JSON.stringify({ loaded, handler: typeof require('./handler/index.ts').handler }));`;
  const out = execFileSync(join(root, 'node_modules/.bin/tsx'), ['-e', script], { cwd: root, encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ loaded: [], handler: 'function' });
});
