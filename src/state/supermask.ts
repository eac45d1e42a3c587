/**
 * The supermask slider's state (issue 16): the points the worker has answered, the latest one
 * asked for, and which rounds' weights the worker keeps for the run on screen. Pure functions;
 * the run slice applies them to its events.
 */
import type { LabEvent, SupermaskPoint } from '../worker/protocol';

export interface SupermaskView {
  /**
   * Every whole-test-set point answered for the run on screen, by P_m, highest first (one per
   * P_m); a preview (the test set's first images, while the slider moves) never joins them.
   */
  points: SupermaskPoint[];
  /** The answer to the latest request of the slider once it came: its preview, then its whole. */
  latest: SupermaskPoint | null;
  /** The slider's latest request (requestId > 0), answered or not. */
  asked: { requestId: number; pm: number } | null;
  /** Why the latest request was refused, in words. */
  error: string | null;
}

export const NO_SUPERMASK: SupermaskView = { points: [], latest: null, asked: null, error: null };

/** Which rounds' trained weights the worker keeps for the run on screen; `none`: why none. */
export interface KeptWeights {
  rounds: number[];
  none: string | null;
  /**
   * The worker's generation of these weights ('weightsKept'); null until the worker has said
   * which it holds for the run on screen. Only points of this generation are the run's.
   */
  generation: number | null;
  /** Why the run will never have a dense net (trained from an imported ticket), in words. */
  noDense: string | null;
}

export const WEIGHTS_OF_NEW_RUN: KeptWeights = {
  rounds: [],
  none: null,
  generation: null,
  noDense: null,
};

export function supermaskAsked(v: SupermaskView, requestId: number, pm: number): SupermaskView {
  return { ...v, asked: { requestId, pm }, error: null };
}

/**
 * A 'supermask' event folded in: a whole-test-set point joins the figure; the latest request's
 * answer shows. A point of another generation than the weights on screen (`generation`) was
 * computed for another run (the one before, or the stored run shown before) and is dropped.
 */
export function supermaskAnswered(
  v: SupermaskView,
  e: Extract<LabEvent, { type: 'supermask' }>,
  generation: number | null,
): SupermaskView {
  const latest = v.asked !== null && e.requestId === v.asked.requestId;
  if ('error' in e) return latest ? { ...v, error: e.error } : v;
  if (e.point.generation !== generation) return v;
  const points = e.point.preview
    ? v.points
    : [...v.points.filter((p) => p.pm !== e.point.pm), e.point].sort((a, b) => b.pm - a.pm);
  return { ...v, points, ...(latest ? { latest: e.point, error: null } : {}) };
}
