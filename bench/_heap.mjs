import v8 from 'node:v8';
const { ConcurrentTaskRunner, flow, task } = await import('rxflow');
const step = task({ name: 'step' }, async (x) => x + 1);
let keep;
const fanOut = flow({ name: 'b1', taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 64 }) }, async (items) => {
  keep = step.map(items);
  await keep.result();
  return 1;
});
await fanOut(Array.from({ length: 20000 }, (_, i) => i));
global.gc();
const f = v8.writeHeapSnapshot('/tmp/b1.heapsnapshot');
console.log(f, keep.length);
