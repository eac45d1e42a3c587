/**
 * The question before a long run (issue 15: the Paper preset takes hours on a laptop): a modal
 * dialog with the estimate in words, Run and Cancel. Focus goes to the dialog itself, not to a
 * button, so the space that asked (the lab's run key) cannot answer it on its key-up; Escape
 * cancels; focus returns where it was. Portalled to the body: story mode makes the lab inert.
 */
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { startConfirmedRun } from '../effects/worker-bridge';
import { duration } from '../settings/plan';
import { labActions, useRunConfirm } from '../state/selectors';

export function RunConfirm() {
  const ask = useRunConfirm();
  return ask ? createPortal(<Question {...ask} />, document.body) : null;
}

function Question({ pauseAfterRound, seconds }: { pauseAfterRound: boolean; seconds: number }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    const back = document.activeElement as HTMLElement | null;
    d?.showModal();
    d?.focus();
    return () => {
      d?.close();
      back?.focus();
    };
  }, []);
  const cancel = () => labActions().runConfirmClosed();
  return (
    <dialog
      ref={dialog}
      className="run-confirm"
      data-testid="run-confirm"
      tabIndex={-1}
      aria-labelledby="run-confirm-title"
      aria-describedby="run-confirm-text"
      // Escape: the browser closes the dialog; the store must close it too.
      onCancel={(e) => {
        e.preventDefault();
        cancel();
      }}
    >
      <h2 id="run-confirm-title">Start a long run?</h2>
      <p id="run-confirm-text">
        This run is estimated to take about {duration(seconds)} on this device
        {pauseAfterRound ? ' (Step pauses it after its first round)' : ''}. It can be paused or
        stopped at any time.
      </p>
      <div className="buttons">
        <button data-testid="run-confirm-run" onClick={() => startConfirmedRun(pauseAfterRound)}>
          Run
        </button>
        <button className="secondary" data-testid="run-confirm-cancel" onClick={cancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
