/**
 * `npm run bench`: the speed and size targets, measured (never asserted by
 * timed tests). `npm run bench -- handler`, `-- synth` or `-- e2e` runs one part;
 * `-- e2e [n] --profile` adds a CPU profile, `--in-process` answers AWS from canned replies instead of moto; `-- burst` (minutes against moto) runs only when asked.
 */
async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'handler') {
    const { runHandlerBench } = await import('./handler');
    await runHandlerBench();
  }
  if (!only || only === 'synth') {
    const { runSynthBench } = await import('./synth');
    await runSynthBench();
  }
  if (!only || only === 'e2e') {
    const { runE2eBench } = await import('./e2e');
    // `npm run bench -- e2e [iterations] [--profile] [--in-process]`: --profile also prints where the CPU went.
    const args = process.argv.slice(3);
    const iterations = args.find((a) => /^\d+$/.test(a));
    await runE2eBench(iterations ? Number(iterations) : undefined, args.includes('--profile'), args.includes('--in-process'));
  }
  // Minutes against moto: only when asked (`npm run bench -- burst --findings 2000`).
  if (only === 'burst') await (await import('./burst')).runBurstBench(process.argv.slice(3));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
