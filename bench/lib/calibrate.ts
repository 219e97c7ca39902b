/**
 * How much CPU this machine gives a process right now: the median time of a fixed JavaScript loop, ms.
 * On a loaded machine it rises with the share of CPU the benchmarks lose to other work, so the quick
 * regression check (bench/main.ts) scales its 3× allowance by (now / when the baseline was recorded).
 */
export function calibrationMs(): number {
  const runs: number[] = [];
  let sink = 0;
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    let x = k;
    for (let i = 0; i < 5_000_000; i++) x = (x * 31 + i) % 1_000_003;
    sink += x;
    runs.push(performance.now() - t0);
    // Spread the samples over ~0.5 s so a short burst of other work does not decide the figure.
    const until = performance.now() + 40;
    while (performance.now() < until) sink++;
  }
  if (sink === -1) console.log(sink);
  return Math.round(runs.sort((a, b) => a - b)[3]! * 10) / 10;
}
