/**
 * An imported ticket (issue 4, the paper's story): what it is, and training it here beside the
 * controls chosen, on the task it was found on or on another (issue 16: Morcos et al. 2019 asked
 * whether tickets transfer); then how it trained here against where it was found.
 */
import { useState } from 'react';
import { AccuracyChart } from '../charts/AccuracyChart';
import { CONTROLS, type ControlName, TASKS, type TaskName } from '../engine/config';
import { trainImportedTicket } from '../effects/run-files';
import type { Ticket } from '../formats/ticket';
import { controlsFor, foundOnOf } from '../formats/ticket-run';
import { TASK_DIGITS, VARIANT_LABEL } from '../settings/labels';
import { curveOf } from '../state/derive';
import {
  labActions,
  useImportedTicket,
  useRounds,
  useRunConfig,
  useRunStatus,
  useTicketOrigin,
} from '../state/selectors';
import { FigureExport } from './FigureExport';

const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;

/**
 * Where a ticket's masks were found, and where its recorded result was measured: the same task,
 * unless the ticket came from a run that itself trained a transferred ticket.
 */
function ticketTasks(ticket: Ticket): { from: TaskName; ranOn: TaskName; there: string } {
  const from = foundOnOf(ticket);
  const ranOn = ticket.config.data.task;
  return { from, ranOn, there: ranOn === from ? 'Where it was found' : 'In the run it came from' };
}

export function ImportedTicket() {
  const loaded = useImportedTicket();
  if (!loaded) return null;
  // A fresh offer for every ticket: the last one's task and controls are not this one's.
  return <TicketOffer key={`${loaded.fileName}|${loaded.ticket.createdAt}`} {...loaded} />;
}

function TicketOffer({ ticket, fileName }: { ticket: Ticket; fileName: string }) {
  const { state } = useRunStatus();
  const [controls, setControls] = useState<ControlName[]>(['reinit']);
  const { from, ranOn, there } = ticketTasks(ticket);
  const [on, setOn] = useState<TaskName>(ranOn);
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
        {c.training.seed}, masks found on {TASK_DIGITS[from]}.{' '}
        {ticket.result &&
          `${there} (${ticket.createdBy}${ranOn === from ? '' : `, on ${TASK_DIGITS[ranOn]}`}) it reached ${pct(ticket.result.earlyStop.testAccuracy, 2)} test accuracy at iteration ${ticket.result.earlyStop.iteration.toLocaleString('en-US')}.`}
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
      <p>
        <label>
          Train it on{' '}
          <select
            data-testid="ticket-task"
            value={on}
            onChange={(e) => setOn(e.target.value as TaskName)}
          >
            {TASKS.map((t) => (
              <option key={t} value={t}>
                {TASK_DIGITS[t]}
                {t === from ? ' (where its masks were found)' : ''}
              </option>
            ))}
          </select>
        </label>{' '}
        <span data-testid="ticket-task-note">
          {on === from
            ? 'the task its masks were found on.'
            : `a transfer (Morcos et al. 2019): masks found on ${TASK_DIGITS[from]}, trained on ${TASK_DIGITS[on]}. Reinit beside it is the same mask with fresh weights; a ticket found on ${TASK_DIGITS[on]} itself is a run of that task.`}
        </span>
      </p>
      <div className="buttons">
        <button
          data-testid="ticket-train"
          disabled={busy}
          onClick={() =>
            trainImportedTicket(
              controls.filter((k) => controlsFor(ticket).includes(k)),
              on,
            )
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
export function TicketOrigin() {
  const origin = useTicketOrigin();
  const rounds = useRounds();
  const runConfig = useRunConfig();
  if (!origin?.ticket.result) return null;
  const { ticket } = origin;
  const result = ticket.result!;
  const { from, ranOn, there: thereName } = ticketTasks(ticket);
  const on = runConfig?.data.task ?? ranOn;
  // "There" is where its recorded result was measured; "here" names its task where they differ.
  const there = on === ranOn ? thereName : `${thereName}, on ${TASK_DIGITS[ranOn]}`;
  const here = on === ranOn ? 'on this device' : `on this device, on ${TASK_DIGITS[on]}`;
  const trained = rounds.find((r) => r.round === ticket.round);
  const summary = trained?.summary?.variants.find((v) => v.variant === 'ticket');
  const verdict = summary
    ? `${there}: ${pct(result.earlyStop.testAccuracy, 2)} at iteration ${result.earlyStop.iteration.toLocaleString('en-US')}; ${here}: ${pct(summary.earlyStop.testAccuracy, 2)} at iteration ${summary.earlyStop.iteration.toLocaleString('en-US')}.`
    : `Training ${here}… the dashed line is how it trained ${ranOn === from ? 'where it was found' : 'in the run it came from'}${on === ranOn ? '' : `, on ${TASK_DIGITS[ranOn]}`}.`;
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
            label: `${thereName.toLowerCase()} (${ticket.createdBy}${on === ranOn ? '' : `, ${TASK_DIGITS[ranOn]}`})`,
            color: '#8a94a6',
            dashed: true,
            points: result.curve,
            earlyStop: result.earlyStop,
          },
          {
            key: 'here',
            label: here.replace(/^on /, ''),
            color: '#1f5fd6',
            dashed: false,
            points: trained ? curveOf(trained, 'ticket') : [],
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
