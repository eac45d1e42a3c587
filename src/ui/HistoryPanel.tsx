/**
 * The run history (issue 4): every stored run, newest first, with what it reached. Open, continue,
 * replay, rename, delete, export (run file, CSV, a round's ticket), import, and overlay two.
 */
import { useRef, useState } from 'react';
import type { RunMeta } from '../history/run-meta';
import { REPLAY_SPEEDS } from '../effects/replay';
import { replayRun } from '../effects/replay-control';
import { exportRun, exportTicket, importFile } from '../effects/run-files';
import {
  compareRuns,
  continueStoredRun,
  deleteRun,
  openRun,
  renameRun,
} from '../effects/run-history';
import { useHistory, useRunStatus } from '../state/selectors';
import { HistoryOverlay } from './HistoryOverlay';
import { TableScroll } from './TableScroll';

const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;
const ORIGIN: Record<RunMeta['origin'], string> = {
  lab: 'trained here',
  imported: 'imported',
  recorded: 'recorded (CLI)',
  ticket: 'ticket trained here',
};

function Name({ run }: { run: RunMeta }) {
  const [editing, setEditing] = useState(false);
  if (!editing)
    return (
      <button
        className="link run-name"
        data-testid="history-open"
        onClick={() => void openRun(run.id)}
        onDoubleClick={() => setEditing(true)}
        title="Open (double-click to rename)"
      >
        {run.name}
      </button>
    );
  return (
    <input
      autoFocus
      data-testid="history-rename-input"
      aria-label="run name"
      defaultValue={run.name}
      maxLength={120}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setEditing(false);
        if (e.key === 'Enter') {
          void renameRun(run.id, e.currentTarget.value);
          setEditing(false);
        }
      }}
      onBlur={() => setEditing(false)}
    />
  );
}

function Row({
  run,
  active,
  busy,
  interrupted,
  selected,
  onSelect,
  speed,
}: {
  run: RunMeta;
  active: boolean;
  busy: boolean;
  interrupted: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  speed: number;
}) {
  // The latest round's ticket, unless the user picked another.
  const [picked, setPicked] = useState<number | null>(null);
  const round = picked ?? run.firstRound + run.roundsDone - 1;
  // Each seed's ticket is its own (trial 0: the seed itself).
  const seeds = run.config.training.trials;
  const [trial, setTrial] = useState(0);
  const hasMasks = run.origin === 'lab' || run.origin === 'ticket';
  return (
    <tr data-testid="history-row" data-run-id={run.id} className={active ? 'active' : undefined}>
      <td>
        <input
          type="checkbox"
          aria-label={`compare ${run.name}`}
          data-testid="history-compare"
          checked={selected}
          onChange={(e) => onSelect(e.target.checked)}
        />
      </td>
      <td className="name-cell">
        <Name run={run} />
        <small className="muted" data-testid="history-backend">
          {' '}
          {ORIGIN[run.origin]} · {run.backend}
        </small>
      </td>
      <td>
        {new Date(run.createdAt).toLocaleString('en-GB', {
          dateStyle: 'short',
          timeStyle: 'short',
        })}
      </td>
      <td data-testid="history-remaining">{pct(run.remaining)}</td>
      <td title={seeds > 1 ? 'trial 0 (the seed itself)' : undefined}>
        {run.bestAccuracy === null ? '—' : pct(run.bestAccuracy, 2)}
      </td>
      <td data-testid="history-status">
        {interrupted ? 'interrupted' : run.status} · {run.roundsDone} rounds
      </td>
      <td>
        <div className="actions">
          {run.continuable && (run.status !== 'running' || interrupted) ? (
            <button
              className="secondary"
              data-testid="history-continue"
              disabled={busy}
              onClick={() => void continueStoredRun(run.id)}
              title="Train it on from its next round, as if it had never stopped"
            >
              Continue
            </button>
          ) : null}
          <button
            className="secondary"
            data-testid="history-replay"
            disabled={busy || run.roundsDone === 0}
            onClick={() => void replayRun(run.id, speed)}
          >
            Replay
          </button>
          <select
            aria-label="export"
            data-testid="history-export"
            value=""
            onChange={(e) =>
              void exportRun(run.id, e.target.value as 'json' | 'curves' | 'summaries')
            }
          >
            <option value="" disabled>
              Export…
            </option>
            <option value="json">run file (JSON)</option>
            <option value="curves">curves (CSV)</option>
            <option value="summaries">summaries (CSV)</option>
          </select>
          {hasMasks && run.roundsDone > 0 && (
            <span className="ticket-export">
              <select
                aria-label="ticket round"
                data-testid="history-ticket-round"
                value={round}
                onChange={(e) => setPicked(Number(e.target.value))}
              >
                {Array.from({ length: run.roundsDone }, (_, i) => i + run.firstRound).map((r) => (
                  <option key={r} value={r}>
                    round {r}
                  </option>
                ))}
              </select>
              {seeds > 1 && (
                <select
                  aria-label="ticket trial"
                  data-testid="history-ticket-trial"
                  value={trial}
                  onChange={(e) => setTrial(Number(e.target.value))}
                >
                  {Array.from({ length: seeds }, (_, t) => (
                    <option key={t} value={t}>
                      trial {t}
                    </option>
                  ))}
                </select>
              )}
              <button
                className="secondary"
                data-testid="history-ticket"
                onClick={() => void exportTicket(run.id, round, trial)}
                title="Download this round's winning ticket (masks + initial weights)"
              >
                Ticket
              </button>
            </span>
          )}
          <button
            className="link"
            data-testid="history-delete"
            disabled={active && busy}
            onClick={() => {
              if (window.confirm(`Delete "${run.name}" and all its rounds?`))
                void deleteRun(run.id);
            }}
          >
            delete
          </button>
        </div>
      </td>
    </tr>
  );
}

export function HistoryPanel() {
  const { runs, activeRunId, interrupted } = useHistory();
  const { state } = useRunStatus();
  const busy = state === 'running' || state === 'paused' || state === 'loading';
  const [selected, setSelected] = useState<string[]>([]);
  const [speed, setSpeed] = useState<number>(100);
  const file = useRef<HTMLInputElement>(null);
  const chosen = selected.filter((id) => runs.some((r) => r.id === id));
  return (
    <section className="panel history" aria-label="Run history" data-testid="history">
      <div className="history-head">
        <h2>Run history</h2>
        <span className="buttons">
          <label className="muted">
            replay at{' '}
            <select
              aria-label="replay speed"
              data-testid="history-speed"
              value={speed}
              onChange={(e) => setSpeed(Number(e.target.value))}
            >
              {REPLAY_SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          <button
            className="secondary"
            data-testid="history-compare-go"
            disabled={chosen.length !== 2}
            onClick={() => void compareRuns(chosen)}
            title="Tick two runs to overlay them"
          >
            Compare {chosen.length}/2
          </button>
          <button
            className="secondary"
            data-testid="import"
            onClick={() => file.current?.click()}
            title="Open a run file (.json) or a winning ticket (.ticket)"
          >
            Import…
          </button>
          <input
            ref={file}
            type="file"
            hidden
            accept=".ticket,.json,application/json"
            data-testid="import-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void importFile(f);
              e.target.value = '';
            }}
          />
        </span>
      </div>
      {runs.length === 0 ? (
        <p className="muted">
          Every round you train is kept here, in this browser only, and survives a reload.
        </p>
      ) : (
        <TableScroll label="Run history table">
          <table data-testid="history-table">
            <thead>
              <tr>
                <th>
                  <span className="visually-hidden">compare</span>
                </th>
                <th>run</th>
                <th>date</th>
                <th>P_m reached</th>
                <th>best ticket acc.</th>
                <th>status</th>
                <th>
                  <span className="visually-hidden">actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <Row
                  key={r.id}
                  run={r}
                  active={r.id === activeRunId}
                  busy={busy}
                  interrupted={interrupted.some((x) => x.id === r.id)}
                  speed={speed}
                  selected={chosen.includes(r.id)}
                  onSelect={(on) =>
                    setSelected((s) =>
                      on
                        ? [...s.filter((x) => x !== r.id), r.id].slice(-2)
                        : s.filter((x) => x !== r.id),
                    )
                  }
                />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <HistoryOverlay />
    </section>
  );
}
