/**
 * The page's handle on the lab worker. Only the store's bridge uses it. A stop that the worker
 * does not acknowledge in time (a long GPU submission, a hung kernel) ends in terminate(): the
 * hard cancel, after which a fresh worker is started on the next command.
 */
import type { Command, LabEvent } from './protocol';

const HARD_STOP_MS = 1500;

export class LabClient {
  private worker: Worker | null = null;
  private hardStop: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly onEvent: (e: LabEvent) => void,
    private readonly assetBase: string = new URL(import.meta.env.BASE_URL, location.href).href,
  ) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./lab.worker.ts', import.meta.url), { type: 'module', name: 'lottery-ticket-lab' });
    w.onmessage = (e: MessageEvent<LabEvent>) => {
      const ev = e.data;
      if (ev.type === 'state' && ev.state !== 'running' && ev.state !== 'paused' && ev.state !== 'loading') this.clearHardStop();
      this.onEvent(ev);
    };
    w.onerror = (e) => {
      e.preventDefault();
      this.onEvent({ type: 'error', message: `the worker crashed: ${e.message || 'unknown error'}` });
      this.terminate('failed');
    };
    w.postMessage({ type: 'init', assetBase: this.assetBase } satisfies Command);
    this.worker = w;
    return w;
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
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    this.onEvent(detail === undefined ? { type: 'state', state } : { type: 'state', state, detail });
  }
}
