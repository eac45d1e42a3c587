/**
 * What the lab offers at the top of the page (issue 4): a way out of a full storage (issue 14),
 * to continue a run a reload interrupted,
 * to watch the recorded lecture run on a first visit, and to train an imported ticket here,
 * then how that ticket trained here against where it was found (TicketPanels.tsx).
 */
import { dismissRecordedOffer, playRecorded } from '../effects/recorded-run';
import { exportRun } from '../effects/run-files';
import { continueStoredRun, deleteRun, openRun } from '../effects/run-history';
import { useHistory, useRunStatus } from '../state/selectors';
import { ImportedTicket, TicketOrigin } from './TicketPanels';

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
