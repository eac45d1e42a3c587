/**
 * The page's handle on the lab worker. Only the effects' worker bridge uses it. A stop that the
 * worker does not acknowledge in time (a long GPU submission, a hung kernel) ends in terminate():
 * the hard cancel, after which a fresh worker is started on the next command.
 *
 * A worker that dies on its own (issue 6) is noticed however it dies: an uncaught exception
 * reaches onerror; for a worker ended without a word (terminate() from elsewhere, the browser
 * killing it for lack of memory) no event exists, so each worker holds a Web Lock for its whole
 * life and the page queues for it: the lock is granted the moment the worker is gone. Either
 * way the page is told in words, and the run history (whose rounds the worker wrote as they
 * completed) is read again so the interrupted run is offered to continue.
 */
import type { Command, LabEvent } from './protocol';
import { workerLockName } from './run-lock';

const HARD_STOP_MS = 1500;

export class LabClient {
  private worker: Worker | null = null;
  private hardStop: ReturnType<typeof setTimeout> | null = null;

  /** `onGone`: a worker is gone for good (its locks are free), whether it died or was ended. */
  constructor(
    private readonly onEvent: (e: LabEvent) => void,
    private readonly assetBase: string = new URL(import.meta.env.BASE_URL, location.href).href,
    private readonly onGone: () => void = () => undefined,
  ) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // randomUUID exists only in secure contexts; the name only has to be unique to this page.
    const name = `lottery-ticket-lab ${crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`}`;
    const w = new Worker(new URL('./lab.worker.ts', import.meta.url), { type: 'module', name });
    let watching = false;
    w.onmessage = (e: MessageEvent<LabEvent>) => {
      // The worker answers only once it holds its life lock: from now on, waiting for it is safe.
      if (!watching) {
        watching = true;
        this.watchLife(w, name);
      }
      const ev = e.data;
      if (
        ev.type === 'state' &&
        ev.state !== 'running' &&
        ev.state !== 'paused' &&
        ev.state !== 'loading'
      )
        this.clearHardStop();
      this.onEvent(ev);
    };
    w.onerror = (e) => {
      e.preventDefault();
      this.died(w, `it crashed: ${e.message || 'an unknown error'}`);
    };
    w.postMessage({ type: 'init', assetBase: this.assetBase } satisfies Command);
    this.worker = w;
    return w;
  }

  /** Queues for the worker's life lock: granted when the worker is gone, however it went. */
  private watchLife(w: Worker, name: string): void {
    if (!navigator.locks) return;
    navigator.locks
      .request(workerLockName(name), () => {
        this.died(
          w,
          'it ended without a word: the browser may have stopped it, for lack of memory say',
        );
        this.onGone();
      })
      .catch(() => undefined);
  }

  /** A worker this client did not end is gone: say so, and start afresh on the next command. */
  private died(w: Worker, why: string): void {
    if (this.worker !== w) return; // ended on purpose, or already reported
    this.worker = null;
    this.clearHardStop();
    w.terminate();
    this.onEvent({
      type: 'error',
      message: `The lab's worker stopped (${why}). Nothing computed is lost: every completed round is in the run history, and an interrupted run is offered to continue.`,
    });
    this.onEvent({ type: 'state', state: 'failed', detail: 'the worker stopped' });
  }

  send(cmd: Command): void {
    this.ensure().postMessage(cmd);
    if (cmd.type === 'stop' && this.hardStop === null) {
      this.hardStop = setTimeout(() => {
        this.hardStop = null;
        this.terminate('stopped', 'the worker did not stop in time and was terminated');
      }, HARD_STOP_MS);
    }
  }

  private clearHardStop(): void {
    if (this.hardStop !== null) clearTimeout(this.hardStop);
    this.hardStop = null;
  }

  /** Ends the worker now; the next command starts a fresh one. */
  terminate(state: 'stopped' | 'failed' = 'stopped', detail?: string): void {
    this.clearHardStop();
    const w = this.worker;
    if (!w) return;
    // Forgotten before it is ended: its life lock, freed by terminate(), must not read as a death.
    this.worker = null;
    w.terminate();
    this.onEvent(
      detail === undefined ? { type: 'state', state } : { type: 'state', state, detail },
    );
  }
}
