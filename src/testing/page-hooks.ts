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
  const armed: TestCommand[] = [...(window.__labArmFirst ?? [])];
  const answers: TestReply[] = [];
  /** Held for the page's life: an armed fault answers again when it fires, rounds later. */
  const ports: MessagePort[] = [];
  /** A channel for one command: every answer on it is kept, the first also handed to `first`. */
  const channel = (first: (r: TestReply) => void = () => undefined) => {
    const c = new MessageChannel();
    ports.push(c.port1);
    let answered = false;
    c.port1.onmessage = (e: MessageEvent<TestReply>) => {
      answers.push(e.data);
      if (!answered) first(e.data);
      answered = true;
    };
    return c;
  };
  let current: Worker | null = null;
  let started = 0;
  const lab = new WeakSet<Worker>();
  const ended = new WeakSet<Worker>();
  let endedCount = 0;
  const labWorkerStarted = (w: Worker) => {
    current = w;
    started++;
    lab.add(w);
    for (const command of armed.splice(0)) {
      const { port2 } = channel();
      w.postMessage(command, [port2]);
    }
  };
  class Watched extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      if (options?.name?.startsWith('lottery-ticket-lab')) labWorkerStarted(this);
    }

    override terminate(): void {
      if (current === this) current = null;
      if (lab.has(this) && !ended.has(this)) {
        ended.add(this);
        endedCount++;
      }
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
        // The timer also keeps the port referenced: an unanswered promise is not just collected.
        const timer = setTimeout(
          () =>
            reject(
              new Error(`the lab worker did not answer ${command.kind} within ${REPLY_MS} ms`),
            ),
          REPLY_MS,
        );
        const { port2 } = channel((r) => {
          clearTimeout(timer);
          resolve(r);
        });
        current.postMessage(command, [port2]);
      }),
    arm: (command) => {
      if (!current) return void armed.push(command);
      const { port2 } = channel();
      current.postMessage(command, [port2]);
    },
    answers: () => [...answers],
    terminateWorker: () => {
      if (!current) return false;
      current.terminate();
      return true;
    },
    workersStarted: () => started,
    workersEnded: () => endedCount,
  };
}
