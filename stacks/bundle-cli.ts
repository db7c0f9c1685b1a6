/** `npm run bundle`: builds the handler zip alone and prints its size, e.g. to watch the cold-start budget. */
import { relative } from 'node:path';
import { bundleHandler } from './bundle';

bundleHandler({ entry: process.argv[2] }).then(
  (result) => {
    process.stdout.write(
      `${relative(process.cwd(), result.bundleFile)}: ${(result.bytes / 1024).toFixed(1)} KiB\n` +
        `${relative(process.cwd(), result.zipFile)}: sha256 ${result.zipSha256}\n`,
    );
  },
  (error: unknown) => {
    process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
