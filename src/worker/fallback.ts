/**
 * Where a run goes when its backend fails (issue 6): a WebGPU device lost, an out-of-memory
 * error, a backend that will not start. The lab does not give up the run; it moves to the next
 * backend and trains the round in flight again from its start.
 *
 * Written over an ordered list of names, so a new backend is one more entry in FALLBACK_ORDER
 * (fallback.test.ts fails until every BackendName is placed).
 */
import type { RoundResult, TrainedRound } from '../engine/experiment';
import type { TrialsObserver } from '../engine/lockstep';
import type { BackendChoice, BackendName } from './protocol';

/** Most preferred first, as auto prefers them (backends.ts); cpu, which always starts, last. */
export const FALLBACK_ORDER: readonly BackendName[] = [
  'gpu',
  'webgpu',
  'simd',
  'wasm',
  'webgl',
  'cpu',
];

/**
 * The backends to try once `failed` has failed, in order: those after it in `order` first (the
 * next best), then those before it; never one that already failed in this run. After an 'auto'
 * start fails, every backend not yet tried, in order.
 */
export function fallbacksAfter(
  failed: BackendChoice,
  tried: ReadonlySet<BackendName>,
  order: readonly BackendName[] = FALLBACK_ORDER,
): BackendName[] {
  const at = failed === 'auto' ? -1 : order.indexOf(failed);
  const rotated = at < 0 ? [...order] : [...order.slice(at + 1), ...order.slice(0, at)];
  return rotated.filter((name) => name !== failed && !tried.has(name));
}

/** Thrown where the backend in use is gone: the round in flight must start again elsewhere. */
export class BackendFailure extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The words for a fallback, shown on the page as they are. */
export function fallbackNotice(
  from: BackendChoice,
  to: BackendName,
  reason: string,
  round: number | null,
): string {
  const who =
    from === 'auto' ? 'No backend chosen automatically could start' : `The ${from} backend failed`;
  const then =
    round === null
      ? 'the run starts there'
      : `round ${round} trains again from its start, and every completed round is kept`;
  return `${who} (${reason}): the lab switched to ${to}; ${then}.`;
}

/**
 * Runs one round on a backend that may be lost meanwhile (`lost` settles with the reason). A lost
 * GPU may never answer a read again, so the round is not waited for: the promise rejects with a
 * BackendFailure at once, and the abandoned attempt is muted (it posts nothing more) and stopped
 * (`Stop` thrown) at its next checkpoint, even one held by a pause, so it unwinds and disposes
 * what it holds.
 */
export function guardedRound(
  run: (observer: TrialsObserver) => Promise<RoundResult[]>,
  observer: TrialsObserver,
  lost: Promise<string> | null,
  backend: BackendName,
  Stop: new () => Error,
): Promise<RoundResult[]> {
  if (!lost) return run(observer);
  let live = true;
  const gone = lost.then((reason): never => {
    live = false;
    throw new BackendFailure(backend, reason);
  });
  gone.catch(() => undefined);
  const unwind = () => {
    if (!live) throw new Stop();
  };
  const muted: TrialsObserver = {
    roundStarted: (t, r) => void (live && observer.roundStarted?.(t, r)),
    curvePoint: (t, round, variant, p) =>
      void (live && observer.curvePoint?.(t, round, variant, p)),
    progress: (round, iteration, iterations, trial, together) =>
      void (live && observer.progress?.(round, iteration, iterations, trial, together)),
    ...(observer.variantsTrained
      ? {
          variantsTrained: (t: number, trained: TrainedRound) =>
            void (live && observer.variantsTrained?.(t, trained)),
        }
      : {}),
    roundCompleted: (t, r, e) => void (live && observer.roundCompleted?.(t, r, e)),
    checkpoint: () => {
      unwind();
      const pending = observer.checkpoint?.();
      return pending && Promise.race([pending, gone]).then(unwind);
    },
  };
  // A device being lost rejects its pending reads (mapAsync) a moment before its `lost` promise
  // settles: a round that fails on a device found lost soon after failed of that loss.
  const round = run(muted).catch(async (e: unknown) => {
    if (e instanceof Stop) throw e; // the user's stop is not kept waiting
    const reason = await Promise.race([
      lost,
      new Promise<null>((r) => setTimeout(() => r(null), LOSS_GRACE_MS)),
    ]);
    if (reason !== null) throw new BackendFailure(backend, reason);
    throw e;
  });
  round.catch(() => undefined); // an abandoned round's own end is no news
  return Promise.race([round, gone]);
}

/** How long a failed round waits to learn that its device was lost (see guardedRound). */
export const LOSS_GRACE_MS = 500;
