// Every spec file must give back what it started: a timer, socket, server or child process still
// keeping the event loop alive once its tests are done fails the file (a run whose timer outlives
// it, a subscription never torn down). Unref'd timers do not keep the loop alive and do not count.
// This replaces jest's --detectOpenHandles, which only prints, and forces one worker.

const counted = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
};

const leaks = (before: Map<string, number>): string[] => {
  const out: string[] = [];
  for (const [type, n] of counted()) {
    const extra = n - (before.get(type) ?? 0);
    if (extra > 0) out.push(`${extra} × ${type}`);
  }
  return out;
};

let before: Map<string, number>;

beforeAll(() => {
  before = counted();
});

afterAll(async () => {
  // Give closing sockets, exiting children and just-cleared timers a moment to go.
  for (let waited = 0; waited < 2_000 && leaks(before).length > 0; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50).unref());
  const left = leaks(before);
  if (left.length > 0)
    throw new Error(`This spec file left handles keeping the process alive: ${left.join(', ')}`);
});
