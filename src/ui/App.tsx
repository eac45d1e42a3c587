/** The lab: settings, run bar, notices, the live figures, the side-by-side view and the rounds. */
import { useEffect, useMemo } from 'react';
import type { VariantName } from '../engine/config';
import { VARIANT_LABEL } from '../settings/labels';
import { beforeAt, beforeOfStarts } from '../state/before-training';
import {
  labActions,
  useErrors,
  useRoundStarts,
  useRoundSummaries,
  useRunConfig,
  useUi,
} from '../state/selectors';
import { Comparison } from './Comparison';
import { Figures } from './Figures';
import { HistoryPanel } from './HistoryPanel';
import { Offers } from './Offers';
import { RunBar } from './RunBar';
import { SettingsPanel } from './SettingsPanel';
import { StoryButton } from './StoryMode';
import { TableScroll } from './TableScroll';
import { useKeyboard } from './useKeyboard';

const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;

function Messages() {
  const errors = useErrors();
  const { notices } = useUi();
  if (errors.length === 0 && notices.length === 0) return null;
  const { errorDismissed, noticeDismissed } = labActions();
  return (
    <section className="messages" aria-live="polite">
      {errors.map((e, i) => (
        <p key={`e${i}`} className="message error" role="alert">
          {e}{' '}
          <button className="link" onClick={() => errorDismissed(i)}>
            dismiss
          </button>
        </p>
      ))}
      {notices.map((n, i) => (
        <p key={`n${i}`} className="message notice" data-testid="notice">
          {n}{' '}
          <button className="link" onClick={() => noticeDismissed(i)}>
            dismiss
          </button>
        </p>
      ))}
    </section>
  );
}

function Rounds() {
  // Summaries only: the table changes when a round completes, not with every point batch.
  const rounds = useRoundSummaries().filter((r) => r !== null);
  // Before training (issue 16): each round's first evaluation, from the same curves.
  const starts = useRoundStarts();
  const before = useMemo(() => beforeOfStarts(starts), [starts]);
  // A rewound round starts from the dense net's weights at iteration k: after training, not before.
  const rewound = useRunConfig()?.pruning.reset.kind === 'rewind';
  const beforeCell = (round: number, variant: VariantName) => {
    const a = beforeAt(before, round, variant)[0];
    return a === undefined ? '' : pct(a, 2);
  };
  if (rounds.length === 0) return null;
  return (
    <section className="panel" aria-label="Rounds">
      <h2>Rounds</h2>
      <TableScroll label="Rounds table">
        <table data-testid="rounds">
          <thead>
            <tr>
              <th>round</th>
              <th>P_m</th>
              <th>variant</th>
              <th>early stop</th>
              <th>test acc. at early stop</th>
              <th>final test acc.</th>
              <th>{rewound ? 'test acc. at first evaluation' : 'test acc. before training'}</th>
            </tr>
          </thead>
          <tbody>
            {rounds.flatMap((r) =>
              r.variants.map((v) => (
                <tr key={`${r.round}-${v.variant}`} data-testid="round-row">
                  <td>{r.round}</td>
                  <td>{pct(r.remaining)}</td>
                  <td>{VARIANT_LABEL[v.variant]}</td>
                  <td>{v.earlyStop.iteration.toLocaleString('en-US')}</td>
                  <td>{pct(v.earlyStop.testAccuracy, 2)}</td>
                  <td>{pct(v.finalTestAccuracy, 2)}</td>
                  <td data-testid="round-before">{beforeCell(r.round, v.variant)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

export function App() {
  const { presenter } = useUi();
  useKeyboard();
  useEffect(() => {
    document.documentElement.classList.toggle('presenter', presenter);
  }, [presenter]);
  return (
    <main
      className={presenter ? 'presenter' : undefined}
      id="lab"
      tabIndex={-1}
      data-testid="lab"
      data-presenter={presenter}
    >
      <header>
        <div>
          <h1>Lottery Ticket Lab</h1>
          <p className="lede">
            LeNet-300-100 on MNIST, pruned by magnitude and reset to its initial weights θ0: the
            winning ticket (Frankle &amp; Carbin, ICLR 2019).
          </p>
        </div>
        <StoryButton />
        <button
          className="secondary"
          data-testid="presenter-toggle"
          onClick={(e) => {
            labActions().presenterToggled();
            // Clicked with a mouse: hand the keys back to the lab, so the lecturer's next space
            // runs instead of pressing this button again. From the keyboard, focus stays put.
            if (e.detail > 0) document.getElementById('lab')?.focus();
          }}
          title="Presenter mode (p, Escape leaves)"
        >
          {presenter ? 'Leave presenter mode' : 'Presenter mode'}
        </button>
      </header>
      {/* The run bar comes before the settings, in reading and tab order too: on a phone, where
          the columns stack, Run is in the first screen (issue 15), not below every setting. */}
      <div className="layout">
        <RunBar />
        {!presenter && <SettingsPanel />}
        <div className="main-column">
          <Messages />
          <Offers />
          <Figures />
          <Comparison />
          <Rounds />
          {!presenter && <HistoryPanel />}
        </div>
      </div>
    </main>
  );
}
