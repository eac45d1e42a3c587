/**
 * Replaying a stored run on the page (issue 4): the player (replay.ts) feeds the store the events
 * the run's worker once sent, and the store's `replay` says what plays. The run history is read
 * again when a replay ends by the history's own subscription (run-history.ts), not from here.
 */
import { labActions, selectActive } from '../state/selectors';
import { useLabStore } from '../state/lab-store';
import { reportFailure, storedRun } from './history-db';
import { ReplayPlayer, replayTimeline } from './replay';

let player: ReplayPlayer | null = null;

export async function replayRun(id: string, speed: number): Promise<void> {
  try {
    const { meta, rounds, trials } = await storedRun(id);
    if (selectActive(useLabStore.getState()))
      return labActions().noticesShown(['Stop the run in progress before replaying another.']);
    stopReplay();
    const timeline = replayTimeline(meta, rounds, trials);
    const store = labActions();
    store.workerEvent({ type: 'state', state: 'running', detail: `replaying "${meta.name}"` });
    store.replayChanged({ runId: id, name: meta.name, speed, playing: true });
    player = new ReplayPlayer(
      timeline,
      speed,
      (e) => labActions().workerEvent(e),
      () => {
        const r = useLabStore.getState().replay;
        if (r) labActions().replayChanged({ ...r, playing: false });
      },
    );
    player.start();
  } catch (e) {
    reportFailure('the run could not be replayed', e);
  }
}

export function setReplaySpeed(speed: number): void {
  const r = useLabStore.getState().replay;
  if (!r || !player) return;
  player.setSpeed(speed);
  labActions().replayChanged({ ...r, speed });
}

/** Plays (from the start again, once it has ended) or pauses the replay on screen. */
export function playReplay(playing: boolean): void {
  const r = useLabStore.getState().replay;
  if (!r || !player) return;
  if (playing && player.done) {
    void replayRun(r.runId, r.speed);
    return;
  }
  if (playing) player.start();
  else player.pause();
  labActions().replayChanged({ ...r, playing: playing && !player.done });
}

export function stopReplay(): void {
  player?.pause();
  player = null;
  const s = useLabStore.getState();
  if (!s.replay) return;
  if (s.state === 'running')
    s.workerEvent({ type: 'state', state: 'stopped', detail: 'replay stopped' });
  s.replayChanged(null);
}
