/**
 * Test builds only (issue 6): window.__lab, the browser tests' handle on the lab's worker
 * (protocol.ts). Installed by main.tsx behind `__LAB_TEST_BUILD__` before anything starts a
 * worker. It watches Worker construction rather than reaching into the lab's client, so the
 * production code carries no test seams: what the tests see is what users run.
 */
import type { TestCommand, TestReply } from './protocol';

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
  }
  window.Worker = Watched;
  window.__lab = {
    send: (command) =>
      new Promise<TestReply>((resolve, reject) => {
        if (!current) return reject(new Error('no lab worker has started yet'));
        const channel = new MessageChannel();
        channel.port1.onmessage = (e: MessageEvent<TestReply>) => resolve(e.data);
        current.postMessage(command, [channel.port2]);
      }),
    arm: (command) => void armed.push(command),
    terminateWorker: () => {
      if (!current) return false;
      current.terminate();
      current = null;
      return true;
    },
    workersStarted: () => started,
  };
}
