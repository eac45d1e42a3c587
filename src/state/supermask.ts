/**
 * The supermask slider's state (issue 16): the points the worker has answered, the latest one
 * asked for, and which rounds' weights the worker keeps for the run on screen. Pure functions;
 * the run slice applies them to its events.
 */
import type { LabEvent, SupermaskPoint } from '../worker/protocol';

export interface SupermaskView {
  /** Every point answered for the run on screen, by P_m, highest first (one per P_m). */
  points: SupermaskPoint[];
  /** The answer to the latest request of the slider, once it came. */
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
}

export const WEIGHTS_OF_NEW_RUN: KeptWeights = { rounds: [], none: null };

export function supermaskAsked(v: SupermaskView, requestId: number, pm: number): SupermaskView {
  return { ...v, asked: { requestId, pm }, error: null };
}

/** A 'supermask' event folded in: a point joins the figure; the latest request's answer shows. */
export function supermaskAnswered(
  v: SupermaskView,
  e: Extract<LabEvent, { type: 'supermask' }>,
): SupermaskView {
  const latest = v.asked !== null && e.requestId === v.asked.requestId;
  if ('error' in e) return latest ? { ...v, error: e.error } : v;
  const points = [...v.points.filter((p) => p.pm !== e.point.pm), e.point].sort(
    (a, b) => b.pm - a.pm,
  );
  return { ...v, points, ...(latest ? { latest: e.point, error: null } : {}) };
}
