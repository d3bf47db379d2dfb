/**
 * Cancellation: stopping a run stops the work under it.
 *
 * 1. Unsubscribing from a flow's `run$` cancels the flow run and every run inside it. The
 *    task's `AbortSignal` (from `getRunContext().signal`) fires, and a real `fetch` to a local
 *    HTTP server that takes 5 s to answer is aborted: the server sees the client go away. (It
 *    unsubscribes once the server has the request: a fetch aborted before its request is sent
 *    never reaches the server at all.)
 * 2. A flow's `timeoutSeconds`: the flow run ends `TimedOut`, the task it was awaiting ends
 *    CANCELLED, and a task the body calls afterwards ends CANCELLED without running (JavaScript
 *    cannot interrupt the body itself, so the engine stops it at its next task call).
 *
 * Run it with `npx tsx examples/cancellation.ts`.
 */
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { delay, from, takeUntil } from 'rxjs';
import { flow, getRunContext, isCancelledError, runStates$, task } from '../lib/index.node.js';

/**
 * A server that answers after 5 s; `received` resolves when a request arrives, `gaveUp` when a
 * client closes its request before the answer.
 */
function slowServer(): Promise<{
  server: Server;
  url: string;
  received: Promise<void>;
  gaveUp: Promise<string>;
}> {
  let reportReceived!: () => void;
  const received = new Promise<void>((resolve) => (reportReceived = resolve));
  let reportGaveUp!: (path: string) => void;
  const gaveUp = new Promise<string>((resolve) => (reportGaveUp = resolve));
  const server = createServer((req, res) => {
    reportReceived();
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
      resolve({ server, url: `http://127.0.0.1:${port}`, received, gaveUp });
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
  const { server, url, received, gaveUp } = await slowServer();
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

    console.log('1. unsubscribing from run$ 100 ms after the server has the request');
    let arrived = false;
    void received.then(() => (arrived = true));
    await new Promise<void>((resolve) =>
      sync
        .run$()
        .pipe(takeUntil(from(received).pipe(delay(100))))
        .subscribe({ complete: resolve }),
    );
    // The abort travels to the server over the socket. (Had the fetch failed before its request
    // arrived, the run would have ended by itself, and no client would ever close a request.)
    if (arrived) console.log(`  server: the client closed ${await gaveUp} before the answer`);
    else console.log('  server: the request never arrived');

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
