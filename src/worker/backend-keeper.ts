/**
 * The worker's backend (issue 6): started on first use and kept, started again only when another
 * is chosen (or tfjs's global backend was moved under it); starts queued one after another, since
 * two must never interleave tf.setBackend. When one will not start, or fails mid-run, the next in
 * the fallback order that does start takes over, and the page is told in words.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_EVAL_CHUNK } from '../engine/experiment';
import type { StartedBackend } from './backends';
import { fallbackNotice, fallbacksAfter } from './fallback';
import {
  type BackendChoice,
  type BackendName,
  type LabEvent,
  errorMessage as message,
} from './protocol';

export interface KeeperDeps {
  /** Starts a backend: what it is (for the badge) and the compute that trains there. */
  initBackend(choice: BackendChoice, assetBase: string): Promise<StartedBackend>;
  /** Where to go when a backend fails, most preferred first; none: a failure fails the run. */
  fallbackOrder?: readonly BackendName[];
  post(event: LabEvent): void;
  /** Where the app's own assets are served from (the page says so in its first command). */
  assetBase(): string;
}

export class BackendKeeper {
  private current: StartedBackend | null = null;
  private choice: BackendChoice | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: KeeperDeps) {}

  /** The chosen backend, started if it is not the one in use; 'ready' tells the page which. */
  ensure(choice: BackendChoice): Promise<StartedBackend> {
    const next = this.queue.then(async () => {
      // tfjs's current backend is global: another start (the auto probe) may have moved it.
      const moved =
        this.current &&
        this.current.info.backend !== 'simd' &&
        tf.getBackend() !== this.current.info.backend;
      if (!this.current || this.choice !== choice || moved) {
        this.current = await this.deps.initBackend(choice, this.deps.assetBase());
        this.choice = choice;
      }
      this.deps.post({ type: 'ready', info: this.current.info });
      return this.current;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * The chosen backend, or if it will not start, the next one that does. `failed` collects the
   * backends that failed this run; `checkStop` throws if the user stopped meanwhile.
   */
  async start(
    choice: BackendChoice,
    failed: Set<BackendName>,
    checkStop: () => void,
  ): Promise<StartedBackend> {
    try {
      return await this.ensure(choice);
    } catch (e) {
      if (!this.deps.fallbackOrder) throw e;
      if (choice !== 'auto') failed.add(choice);
      return this.fallBack(choice, message(e), failed, null, checkStop);
    }
  }

  /**
   * Starts the first fallback after `from` that starts, and says so (`round`: the round in flight,
   * which trains again from its start; null before any); throws if none does.
   */
  async fallBack(
    from: BackendChoice,
    reason: string,
    failed: Set<BackendName>,
    round: number | null,
    checkStop: () => void,
  ): Promise<StartedBackend> {
    const reasons = [reason];
    for (const name of fallbacksAfter(from, failed, this.deps.fallbackOrder)) {
      checkStop();
      try {
        const started = await this.ensure(name);
        this.deps.post({
          type: 'fellBack',
          from,
          info: started.info,
          reason,
          round,
          message: fallbackNotice(from, name, reason, round),
        });
        return started;
      } catch (e) {
        failed.add(name);
        reasons.push(`${name}: ${message(e)}`);
      }
    }
    throw new Error(`no backend is left to go on with (${reasons.join('; ')})`);
  }
}

/**
 * On the cpu backend one 1000-example evaluation pass takes seconds: small chunks keep pause and
 * stop responsive between them.
 */
export const evalChunkOf = (on: StartedBackend): number =>
  on.info.backend === 'cpu' ? 200 : DEFAULT_EVAL_CHUNK;
