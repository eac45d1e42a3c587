/**
 * Run controls, progress of the round and of the whole run (with an ETA), and the backend badge.
 */
import { REPLAY_SPEEDS } from '../effects/replay';
import { playReplay, setReplaySpeed, stopReplay } from '../effects/replay-control';
import { pauseRun, resumeRun, startNewRun, stepRun, stopRun } from '../effects/worker-bridge';
import { etaSeconds, replaySecondsLeft, roundFraction } from '../state/derive';
import {
  useBackendInfo,
  useReplay,
  useRunConfig,
  useRunStatus,
  useTheta0,
} from '../state/selectors';
import { type Progress, backendLabel } from '../worker/protocol';
import { RunConfirm } from './RunConfirm';

function formatEta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '';
  if (s < 60) return `${Math.ceil(s)} s left`;
  if (s < 3600) return `${Math.round(s / 60)} min left`;
  return `${(s / 3600).toFixed(1)} h left`;
}

/** While a stored run replays, the run controls become the replay's: play/pause, speed, stop. */
function ReplayControls() {
  const replay = useReplay()!;
  return (
    <div className="buttons" data-testid="replay-controls">
      <button data-testid="replay-toggle" onClick={() => playReplay(!replay.playing)}>
        {replay.playing ? 'Pause replay' : 'Play'}
      </button>
      {REPLAY_SPEEDS.map((s) => (
        <button
          key={s}
          className={s === replay.speed ? undefined : 'secondary'}
          data-testid={`replay-speed-${s}`}
          aria-pressed={s === replay.speed}
          onClick={() => setReplaySpeed(s)}
        >
          {s}×
        </button>
      ))}
      <button className="danger" data-testid="replay-stop" onClick={stopReplay}>
        Stop replay
      </button>
    </div>
  );
}

/** Which of a run's trials (seeds) step now, numbered as the figures number them: from 0. */
function trialsStepping(p: Progress): string {
  if (!p.trials) return '';
  const first = p.trial ?? 0;
  const together = p.together ?? (p.trial === undefined ? p.trials : 1);
  if (together >= p.trials) return ` · all ${p.trials} trials together`;
  const of = ` of trials 0–${p.trials - 1}`;
  return together > 1
    ? ` · trials ${first}–${first + together - 1} together${of}`
    : ` · trial ${first}${of}`;
}

export function RunBar() {
  const replay = useReplay();
  const { state, detail, progress, data } = useRunStatus();
  const backend = useBackendInfo();
  const runConfig = useRunConfig();
  const theta0 = useTheta0();
  const active = state === 'loading' || state === 'running' || state === 'paused';
  const rounds = runConfig ? runConfig.pruning.rounds + 1 : 1;
  const inRound = progress ? roundFraction(progress) : 0;
  const runFraction = progress ? (progress.round + inRound) / rounds : 0;
  // A replay's rate is the recorded run's: its time left is the replay's own, at its speed.
  const eta =
    progress && runConfig && state === 'running' && !replay
      ? etaSeconds(runConfig, progress)
      : null;
  const rate = Math.round(progress?.examplesPerSecond ?? 0).toLocaleString('en-US');
  const seeds = progress ? trialsStepping(progress) : '';

  return (
    <section className="panel runbar" aria-label="Run">
      {replay ? (
        <ReplayControls />
      ) : (
        <div className="buttons">
          <button
            data-testid="run"
            disabled={active}
            onClick={() => startNewRun()}
            title="Start a run with these settings"
          >
            Run
          </button>
          {state === 'paused' ? (
            <button data-testid="resume" onClick={resumeRun} title="Resume (space)">
              Resume
            </button>
          ) : (
            <button
              data-testid="pause"
              disabled={state !== 'running'}
              onClick={pauseRun}
              title="Pause (space)"
            >
              Pause
            </button>
          )}
          <button
            data-testid="step"
            disabled={state === 'loading'}
            onClick={() => (active ? stepRun() : startNewRun(true))}
            title="Run one round, then pause (→)"
          >
            Step
          </button>
          <button data-testid="stop" className="danger" disabled={!active} onClick={stopRun}>
            Stop
          </button>
        </div>
      )}
      <div className="run-status">
        <span className="badge" data-testid="backend" title={backend?.reason}>
          {replay
            ? 'replay · no training'
            : backend
              ? backendLabel(backend)
              : 'backend: starts with the first run'}
        </span>
        <span data-testid="state" data-state={state}>
          {state}
          {detail ? ` (${detail})` : ''}
        </span>
        {data && !data.done && (
          <span data-testid="data-progress">
            MNIST {data.fromCache ? 'from the local cache' : 'loading'}{' '}
            <progress max={data.totalBytes} value={data.loadedBytes} />
          </span>
        )}
        {theta0 && (
          <span className="muted" title="θ0 fingerprint as drawn / as read back from the backend">
            θ0 {theta0.host === theta0.device ? theta0.host : `${theta0.host} ≠ ${theta0.device}`}
          </span>
        )}
      </div>
      {progress && (
        <div className="progress-rows" data-testid="progress">
          <label>
            round {progress.round}
            {seeds} · iteration {progress.iteration.toLocaleString('en-US')}/
            {progress.iterations.toLocaleString('en-US')}
            <progress data-testid="round-progress" max={1} value={inRound} />
          </label>
          <label>
            whole run · {Math.round(runFraction * 100)}% ·{' '}
            {replay
              ? `recorded at ${rate} examples/s · replay at ${replay.speed}×${replay.playing ? `, ${formatEta(replaySecondsLeft(replay))}` : ', paused'}`
              : `${rate} examples/s ${formatEta(eta)}`}
            <progress data-testid="run-progress" max={1} value={runFraction} />
          </label>
        </div>
      )}
      {backend && <small className="reason muted">{backend.reason}</small>}
      <RunConfirm />
    </section>
  );
}
