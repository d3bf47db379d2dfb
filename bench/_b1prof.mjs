const { ConcurrentTaskRunner, flow, task } = await import('rxflow');
const step = task({ name: 'step' }, async (x) => x + 1);
const fanOut = flow({ name: 'b1', taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 64 }) }, async (items) => {
  const results = await step.map(items).result();
  let s = 0; for (const r of results) s += r; return s;
});
const n = 100000;
for (let rep = 0; rep < 6; rep++) {
  global.gc?.();
  const t = process.hrtime.bigint();
  await fanOut(Array.from({ length: n }, (_, i) => i));
  console.log(rep, (Number(process.hrtime.bigint() - t) / 1e3 / n).toFixed(2), 'µs/item', (process.memoryUsage().heapUsed/1e6).toFixed(0),'MB');
}
