// Per-call cost of several ways to make the same call, measured side by side in one process. Each round
// runs every contender for a short batch, in rotating order, so all of them see the same machine: on a
// shared 2-core runner, load from other processes comes and goes in seconds, and short batches interleaved
// many times cancel it out far better than a few long runs (issue 16: ratios from 3 runs of one build
// stayed within ±0.02 with 50-call batches, against ±0.1 with 2,000-call ones).

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round2 = (x) => Math.round(x * 100) / 100;
const round3 = (x) => Math.round(x * 1000) / 1000;

/** Warm-up rounds, discarded while the JIT settles. */
const WARMUP = 20;

/** Rounds are cut into this many blocks; the spread is how far the blocks' ratios land from each other. */
const BLOCKS = 5;

/**
 * Median µs per call of each contender, and each one's ratio to `reference`: the median over rounds of
 * (its time / the reference's time in the same round). `spread` is the lowest and highest `subject` ratio
 * over BLOCKS consecutive blocks of rounds: about how far two shorter runs of this build may land apart.
 */
export async function perCall(fns, { rounds, calls, reference, subject }) {
  const names = Object.keys(fns);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = -WARMUP; round < rounds; round++) {
    const offset = Math.max(round, 0) % names.length;
    for (const name of [...names.slice(offset), ...names.slice(0, offset)]) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) await fns[name]();
      if (round >= 0) samples[name].push(Number(process.hrtime.bigint() - started) / 1000 / calls);
    }
  }
  const perRound = (name) => samples[name].map((us, round) => us / samples[reference][round]);
  const ratios = Object.fromEntries(names.map((name) => [name, round3(median(perRound(name)))]));
  const size = Math.ceil(rounds / BLOCKS);
  const blocks = Array.from({ length: BLOCKS }, (_, i) => median(perRound(subject).slice(i * size, (i + 1) * size)));
  return {
    us: Object.fromEntries(names.map((name) => [name, round2(median(samples[name]))])),
    ratioTo: { reference, ...ratios },
    spread: [round3(Math.min(...blocks)), round3(Math.max(...blocks))],
  };
}
