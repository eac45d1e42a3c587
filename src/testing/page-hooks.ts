/**
 * Test builds only (issue 6): window.__lab, the browser tests' handle on the lab's worker
 * (protocol.ts). Installed by main.tsx behind `__LAB_TEST_BUILD__` before anything starts a
 * worker. It watches Worker construction rather than reaching into the lab's client, so the
 * production code carries no test seams: what the tests see is what users run.
 */
import type { TestCommand, TestReply } from './protocol';

const REPLY_MS = 15_000;

export function installPageHooks(): void {
  const Native = window.Worker;
  const armed: TestCommand[] = [];
  let current: Worker | null = null;
  let started = 0;
  const labWorkerStarted = (w: Worker) => {
    current = w;
    started++;
    for (const command of armed.splice(0)) w.postMessage(command);
  };
  class Watched extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      if (options?.name?.startsWith('lottery-ticket-lab')) labWorkerStarted(this);
    }

    override terminate(): void {
      if (current === this) current = null;
      super.terminate();
    }
  }
  window.Worker = Watched;
  window.__lab = {
    send: (command) =>
      new Promise<TestReply>((resolve, reject) => {
        if (!current)
          return reject(
            new Error('no lab worker is running (none started yet, or it was terminated)'),
          );
        const channel = new MessageChannel();
        // The timer also keeps the port referenced: an unanswered promise is not just collected.
        const timer = setTimeout(
          () =>
            reject(
              new Error(`the lab worker did not answer ${command.kind} within ${REPLY_MS} ms`),
            ),
          REPLY_MS,
        );
        channel.port1.onmessage = (e: MessageEvent<TestReply>) => {
          clearTimeout(timer);
          resolve(e.data);
        };
        current.postMessage(command, [channel.port2]);
      }),
    arm: (command) => void armed.push(command),
    terminateWorker: () => {
      if (!current) return false;
      current.terminate();
      return true;
    },
    workersStarted: () => started,
  };
}
