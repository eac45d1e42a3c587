/**
 * What the lab offers at the top of the page (issue 4): a way out of a full storage (issue 14),
 * to continue a run a reload interrupted,
 * to watch the recorded lecture run on a first visit, and to train an imported ticket here,
 * then how that ticket trained here against where it was found.
 */
import { useState } from 'react';
import { AccuracyChart } from '../charts/AccuracyChart';
import { CONTROLS, type ControlName } from '../engine/config';
import { dismissRecordedOffer, playRecorded } from '../effects/recorded-run';
import { exportRun, trainImportedTicket } from '../effects/run-files';
import { continueStoredRun, deleteRun, openRun } from '../effects/run-history';
import { controlsFor } from '../formats/ticket-run';
import { VARIANT_LABEL } from '../settings/labels';
import { curveOf } from '../state/derive';
import {
  labActions,
  useHistory,
  useImportedTicket,
  useRounds,
  useRunStatus,
  useTicketOrigin,
} from '../state/selectors';
import { FigureExport } from './FigureExport';

const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;

function Interrupted() {
  const { interrupted } = useHistory();
  const { state } = useRunStatus();
  const busy = state === 'running' || state === 'paused' || state === 'loading';
  return (
    <>
      {interrupted.map((run) => {
        const last = run.firstRound + run.roundsDone - 1;
        return (
          <p key={run.id} className="message offer" data-testid="interrupted">
            “{run.name}” was interrupted{' '}
            {run.roundsDone > 0 ? `after round ${last}` : 'before its first round completed'}: every
            completed round is kept.{' '}
            {run.continuable && (
              <button
                data-testid="interrupted-continue"
                disabled={busy}
                onClick={() => void continueStoredRun(run.id)}
              >
                Continue from round {last + 1}
              </button>
            )}{' '}
            {run.roundsDone > 0 ? (
              <button className="secondary" disabled={busy} onClick={() => void openRun(run.id)}>
                Open
              </button>
            ) : (
              <button
                className="secondary"
                data-testid="interrupted-discard"
                onClick={() => void deleteRun(run.id)}
              >
                Discard
              </button>
            )}
          </p>
        );
      })}
    </>
  );
}

function RecordedOffer() {
  const { recordedOffered } = useHistory();
  if (!recordedOffered) return null;
  return (
    <p className="message offer" data-testid="recorded-offer">
      New here? Watch the whole story first: a recorded lecture run (LeNet-300-100, 12 rounds ×
      3,000 iterations, ticket vs random reinit vs rearranged, five seeds), replayed at 100×, no
      training.{' '}
      <button data-testid="recorded-play" onClick={() => void playRecorded()}>
        Play the recorded run
      </button>{' '}
      <button className="link" onClick={dismissRecordedOffer}>
        no thanks
      </button>
    </p>
  );
}

function ImportedTicket() {
  const loaded = useImportedTicket();
  const { state } = useRunStatus();
  const [controls, setControls] = useState<ControlName[]>(['reinit']);
  if (!loaded) return null;
  const { ticket, fileName } = loaded;
  const busy = state === 'running' || state === 'paused' || state === 'loading';
  const c = ticket.config;
  return (
    <section className="panel ticket" data-testid="imported-ticket" aria-label="Imported ticket">
      <h2>Ticket {fileName}</h2>
      <p>
        LeNet {c.model.layers.join('-')}, round {ticket.round}:{' '}
        <strong>{pct(ticket.remaining)}</strong> of weights remain (per layer{' '}
        {ticket.remainingByLayer.map((r) => pct(r)).join(' / ')}), reset to{' '}
        {ticket.weights.kind === 'init' ? 'θ0' : `iteration ${ticket.weights.iteration}`}, seed{' '}
        {c.training.seed}.{' '}
        {ticket.result &&
          `Where it was found (${ticket.createdBy}) it reached ${pct(ticket.result.earlyStop.testAccuracy, 2)} test accuracy at iteration ${ticket.result.earlyStop.iteration.toLocaleString('en-US')}.`}
      </p>
      <p className="check-row">
        Train beside it:{' '}
        {CONTROLS.map((k) => {
          const possible = controlsFor(ticket).includes(k);
          return (
            <label
              key={k}
              className="check inline"
              title={
                possible
                  ? undefined
                  : 'needs every weight at iteration k; a rewind ticket keeps only its survivors'
              }
            >
              <input
                type="checkbox"
                disabled={!possible}
                checked={possible && controls.includes(k)}
                onChange={(e) =>
                  setControls((s) => (e.target.checked ? [...s, k] : s.filter((x) => x !== k)))
                }
              />{' '}
              {VARIANT_LABEL[k]}
            </label>
          );
        })}
      </p>
      <div className="buttons">
        <button
          data-testid="ticket-train"
          disabled={busy}
          onClick={() =>
            trainImportedTicket(controls.filter((k) => controlsFor(ticket).includes(k)))
          }
          title={`${c.training.iterations.toLocaleString('en-US')} iterations, batch ${c.training.batchSize}, as where it was found`}
        >
          Train it on this device
        </button>
        <button className="secondary" onClick={() => labActions().ticketLoaded(null)}>
          Discard
        </button>
      </div>
    </section>
  );
}

/** The imported ticket's curve where it was found, against its curve here, on shared axes. */
function TicketOrigin() {
  const origin = useTicketOrigin();
  const rounds = useRounds();
  if (!origin?.ticket.result) return null;
  const { ticket } = origin;
  const result = ticket.result!;
  const here = rounds.find((r) => r.round === ticket.round);
  const summary = here?.summary?.variants.find((v) => v.variant === 'ticket');
  const verdict = summary
    ? `Where it was found: ${pct(result.earlyStop.testAccuracy, 2)} at iteration ${result.earlyStop.iteration.toLocaleString('en-US')}; on this device: ${pct(summary.earlyStop.testAccuracy, 2)} at iteration ${summary.earlyStop.iteration.toLocaleString('en-US')}.`
    : 'Training here… the dashed line is how it trained where it was found.';
  return (
    <section
      className="panel"
      data-testid="ticket-origin"
      aria-label="Ticket: found there, trained here"
    >
      <h2 className="with-export">
        The ticket, trained from scratch on this device{' '}
        <FigureExport targetId="ticket-origin" name="ticket-here-and-there" />
      </h2>
      <p className="verdict" data-testid="ticket-verdict">
        {verdict}
      </p>
      <AccuracyChart
        height={240}
        series={[
          {
            key: 'there',
            label: `where it was found (${ticket.createdBy})`,
            color: '#8a94a6',
            dashed: true,
            points: result.curve,
            earlyStop: result.earlyStop,
          },
          {
            key: 'here',
            label: 'this device',
            color: '#1f5fd6',
            dashed: false,
            points: here ? curveOf(here, 'ticket') : [],
            ...(summary
              ? {
                  earlyStop: summary.earlyStop,
                }
              : {}),
          },
        ]}
      />
    </section>
  );
}

/**
 * The run holds because the browser's storage for the lab is full (issue 14): the ways out at
 * hand. Export keeps what is stored (the held round is on the page, stored once there is room);
 * deleting runs in the history makes the room; Resume stores the round and goes on.
 */
function StorageFull() {
  const { state, detail } = useRunStatus();
  const { activeRunId, runs } = useHistory();
  if (state !== 'paused' || !detail?.endsWith('storage full')) return null;
  const others = runs.filter((r) => r.id !== activeRunId).length;
  return (
    <p className="message offer" data-testid="storage-full">
      The storage is full: keep this run&apos;s stored rounds in a file, make room by deleting runs{' '}
      {others ? `(${others} other${others > 1 ? 's' : ''} in the history)` : ''}, then Resume.{' '}
      {activeRunId && (
        <button
          data-testid="storage-full-export"
          onClick={() => void exportRun(activeRunId, 'json')}
        >
          Export this run
        </button>
      )}{' '}
      <button
        className="secondary"
        onClick={() =>
          document.querySelector('[data-testid="history"]')?.scrollIntoView({ behavior: 'smooth' })
        }
      >
        Show the history
      </button>
    </p>
  );
}

export function Offers() {
  return (
    <>
      <StorageFull />
      <Interrupted />
      <RecordedOffer />
      <ImportedTicket />
      <TicketOrigin />
    </>
  );
}
