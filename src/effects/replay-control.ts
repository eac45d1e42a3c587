/**
 * Replaying a stored run on the page (issue 4): the player (replay.ts) feeds the store the events
 * the run's worker once sent, and the store's `replay` says what plays and where it stands. A
 * replay that plays to its end ends by itself (issue 15: the Run button comes back, the replayed
 * figures stay); the run history is read again then by its own subscription (run-history.ts).
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
    const playing = new ReplayPlayer(
      timeline,
      speed,
      (e) => labActions().workerEvent(e),
      () => endReplay(playing),
      undefined,
      (atMs) => {
        const r = useLabStore.getState().replay;
        if (r && player === playing && r.atMs !== atMs) labActions().replayChanged({ ...r, atMs });
      },
    );
    player = playing;
    store.replayChanged({
      runId: id,
      name: meta.name,
      speed,
      playing: true,
      config: meta.config,
      trainedOn: meta.backend,
      atMs: 0,
      totalMs: playing.length,
    });
    playing.start();
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

/** Its last event is in the store ('done'): the figures stay, the replay's controls go. */
function endReplay(ended: ReplayPlayer): void {
  if (player !== ended) return;
  player = null;
  labActions().replayChanged(null);
}

/** Plays or pauses the replay on screen. */
export function playReplay(playing: boolean): void {
  const r = useLabStore.getState().replay;
  if (!r || !player) return;
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
