/**
 * Cancellation: stopping a run stops the work under it.
 *
 * 1. Unsubscribing from a flow's `run$` cancels the flow run and every run inside it. The
 *    task's `AbortSignal` (from `getRunContext().signal`) fires, and a real `fetch` to a local
 *    HTTP server that takes 5 s to answer is aborted: the server sees the client go away.
 * 2. A flow's `timeoutSeconds`: the flow run ends `TimedOut`, the task it was awaiting ends
 *    CANCELLED, and a task the body calls afterwards ends CANCELLED without running (JavaScript
 *    cannot interrupt the body itself, so the engine stops it at its next task call).
 *
 * Run it with `npx tsx examples/cancellation.ts`.
 */
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { takeUntil, timer } from 'rxjs';
import { flow, getRunContext, isCancelledError, runStates$, task } from '../lib/index.node.js';

/** A server that answers after 5 s; `gaveUp` resolves when a client closes its request first. */
function slowServer(): Promise<{ server: Server; url: string; gaveUp: Promise<string> }> {
  let reportGaveUp!: (path: string) => void;
  const gaveUp = new Promise<string>((resolve) => (reportGaveUp = resolve));
  const server = createServer((req, res) => {
    const answer = setTimeout(() => res.end('{"ok":true}'), 5000);
    res.on('close', () => {
      if (!res.writableEnded) {
        clearTimeout(answer);
        reportGaveUp(req.url ?? '');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, gaveUp });
    }),
  );
}

const depth = new Map<string, number>();
const printStates = () =>
  runStates$.subscribe(({ run, state }) => {
    const level =
      depth.get(run.id) ?? (run.parentRunId === undefined ? 0 : (depth.get(run.parentRunId) ?? 0) + 1);
    depth.set(run.id, level);
    console.log(`  ${'  '.repeat(level)}${run.name}: ${state.name}`);
  });

async function main(): Promise<void> {
  const { server, url, gaveUp } = await slowServer();
  const states = printStates();
  try {
    // ---- 1. run$ unsubscription --------------------------------------------------------------
    const download = task({ name: 'download', taskRunName: 'download' }, async (path: string) => {
      const { signal } = getRunContext();
      try {
        const res = await fetch(`${url}${path}`, { signal });
        return await res.json();
      } catch (error) {
        console.log(
          `  download: fetch rejected with ${(error as Error).name}, signal.aborted = ${signal.aborted}`,
        );
        throw error;
      }
    });
    const sync = flow({ name: 'sync', flowRunName: 'sync' }, async () => download('/export.json'));

    console.log('1. unsubscribing from run$ after 200 ms');
    await new Promise<void>((resolve) =>
      sync
        .run$()
        .pipe(takeUntil(timer(200)))
        .subscribe({ complete: resolve }),
    );
    // The abort travels to the server over the socket.
    console.log(`  server: the client closed ${await gaveUp} before the answer`);

    // ---- 2. flow timeout -----------------------------------------------------------------------
    let bodyDone!: () => void;
    const bodyFinished = new Promise<void>((resolve) => (bodyDone = resolve));
    let cleanupRan = false;
    const slowStep = task({ name: 'slow-step', taskRunName: 'slow-step' }, async () => {
      await sleep(2000, undefined, { signal: getRunContext().signal });
    });
    const cleanup = task({ name: 'cleanup', taskRunName: 'cleanup' }, () => {
      cleanupRan = true;
    });
    const nightly = flow({ name: 'nightly', flowRunName: 'nightly', timeoutSeconds: 0.2 }, async () => {
      try {
        await slowStep();
      } catch (error) {
        const cause = isCancelledError(error) ? (error.cause as Error).name : 'none';
        console.log(
          `  body: slow-step rejected with ${(error as Error).name} (cause: ${cause}); calling cleanup`,
        );
      }
      try {
        await cleanup();
      } finally {
        bodyDone();
      }
    });

    console.log('2. a flow with timeoutSeconds: 0.2');
    const outcome = await nightly().catch((error: Error) => error);
    console.log(`  nightly() rejected with ${(outcome as Error).name}: ${(outcome as Error).message}`);
    await bodyFinished;
    console.log(`  cleanup ran: ${cleanupRan}`);
  } finally {
    states.unsubscribe();
    server.closeAllConnections();
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
