/**
 * Ends the CLI with `code` once everything written to stdout and stderr has
 * been handed to the OS. `process.exit` right after a write drops what a pipe
 * has not taken yet (a pipe holds 64 KiB), so `cloudmend invoke --json | jq`
 * lost the rest: a write's callback runs only after the writes before it.
 */
export function exitWhenFlushed(code: number, streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  process.exitCode = code;
  let pending = streams.length;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  for (const stream of streams) {
    // A closed consumer (`| head`) errors the write; the exit must still come.
    if (stream.destroyed || !stream.writable) done();
    else stream.write('', () => done());
  }
}
