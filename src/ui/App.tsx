/** The lab's first page: run panel, status, live accuracy curves and the rounds so far. */
import { useMemo } from 'react';
import type { VariantName } from '../engine/config';
import { AccuracyChart, type AccuracySeries } from '../charts/AccuracyChart';
import { useLabStore } from '../store/lab-store';
import { useBackendInfo, useErrors, useRounds, useRunStatus, useTheta0 } from '../store/selectors';
import { Controls } from './Controls';

const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;
const VARIANT_LABEL: Record<VariantName, string> = { ticket: 'winning ticket', reinit: 'random reinit', rearrange: 'rearranged', random: 'random pruning' };

/** Colour by P_m: dense is dark, sparse is bright (the paper's Figure 3 style). */
function colorFor(remaining: number): string {
  const t = Math.min(1, Math.max(0, Math.log(remaining) / Math.log(0.02)));
  return `hsl(${220 - 200 * t}, 75%, ${35 + 15 * t}%)`;
}

function Status() {
  const { state, detail, progress, data } = useRunStatus();
  const backend = useBackendInfo();
  const theta0 = useTheta0();
  return (
    <section className="panel status" aria-label="Status">
      <span className="badge" data-testid="backend" title={backend?.reason}>
        {backend ? `${backend.backend} · ${backend.adapter}` : 'backend: not started'}
      </span>
      <span data-testid="state" data-state={state}>
        {state}
        {detail ? ` (${detail})` : ''}
      </span>
      {data && !data.done && (
        <span data-testid="data-progress">
          MNIST {data.fromCache ? 'from cache' : 'loading'}: <progress max={data.totalBytes} value={data.loadedBytes} /> {pct(data.loadedBytes / Math.max(1, data.totalBytes), 0)}
        </span>
      )}
      {progress && (
        <span data-testid="progress">
          round {progress.round}, iteration {progress.iteration}/{progress.iterations} · {Math.round(progress.examplesPerSecond).toLocaleString()} examples/s
        </span>
      )}
      {theta0 && <span title="θ0 fingerprint as drawn / as read back from the backend">θ0 {theta0.host === theta0.device ? theta0.host : `${theta0.host} ≠ ${theta0.device}`}</span>}
      {backend && <small className="reason">{backend.reason}</small>}
    </section>
  );
}

function Errors() {
  const errors = useErrors();
  if (errors.length === 0) return null;
  return (
    <section className="panel errors" role="alert">
      {errors.map((e, i) => (
        <p key={i}>
          {e} <button onClick={() => useLabStore.getState().errorDismissed(i)}>dismiss</button>
        </p>
      ))}
    </section>
  );
}

function Curves() {
  const rounds = useRounds();
  const series = useMemo<AccuracySeries[]>(
    () =>
      rounds.flatMap((r) =>
        r.variants.map((v) => ({
          key: `${r.round}-${v}`,
          label: `${pct(r.remaining)} ${VARIANT_LABEL[v]}`,
          color: colorFor(r.remaining),
          dashed: v !== 'ticket',
          points: r.curves[v] ?? [],
        })),
      ),
    [rounds],
  );
  const points = series.reduce((a, s) => a + s.points.length, 0);
  return (
    <section className="panel" aria-label="Test accuracy" data-testid="accuracy-chart" data-points={points}>
      <h2>Test accuracy during training</h2>
      <p className="caption">Solid: the winning ticket, reset to θ0 each round. Dashed: controls at the same sparsity. Watch the sparse tickets learn faster.</p>
      <AccuracyChart series={series} />
    </section>
  );
}

function Rounds() {
  const rounds = useRounds().filter((r) => r.summary);
  return (
    <section className="panel" aria-label="Rounds">
      <h2>Rounds</h2>
      <table data-testid="rounds">
        <thead>
          <tr>
            <th>round</th>
            <th>P_m</th>
            <th>variant</th>
            <th>early stop</th>
            <th>test acc. at early stop</th>
            <th>final test acc.</th>
          </tr>
        </thead>
        <tbody>
          {rounds.flatMap((r) =>
            r.summary!.variants.map((v) => (
              <tr key={`${r.round}-${v.variant}`} data-testid="round-row">
                <td>{r.round}</td>
                <td>{pct(r.remaining)}</td>
                <td>{VARIANT_LABEL[v.variant]}</td>
                <td>{v.earlyStopIteration}</td>
                <td>{pct(v.earlyStopTestAccuracy, 2)}</td>
                <td>{pct(v.finalTestAccuracy, 2)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}

export function App() {
  return (
    <main>
      <header>
        <h1>Lottery Ticket Lab</h1>
        <p>LeNet-300-100 on MNIST, pruned by magnitude and reset to its initial weights θ0 — the winning ticket (Frankle &amp; Carbin, ICLR 2019).</p>
      </header>
      <Controls />
      <Status />
      <Errors />
      <Curves />
      <Rounds />
    </main>
  );
}
