// The empty Node process of the cold-start and memory baselines (bench/run.sh). With
// `--hwm` it prints its own peak RSS (VmHWM, KiB) as the benchmarks do at their end.
if (process.argv[2] === '--hwm') {
  const m = /VmHWM:\s+(\d+) kB/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'));
  process.stdout.write(`${JSON.stringify({ hwm_kb: { end: Number(m[1]) } })}\n`);
}
