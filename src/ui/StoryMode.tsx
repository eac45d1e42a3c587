/**
 * Story mode (issue 15): the run on screen told step by step (story.ts), one figure filling the
 * screen with its narration beside it, for a lecturer to teach the paper from. It opens over the
 * lab as a modal dialog; the lab behind is inert, so Tab and a screen reader stay in the story.
 * Keys (useKeyboard.ts): → / PageDown next, ← / PageUp previous, Home / End, Escape closes.
 */
import { useEffect, useMemo, useRef } from 'react';
import { createPortal } from 'react-dom';
import { playRecorded } from '../effects/recorded-run';
import { startNewRun } from '../effects/worker-bridge';
import { labActions, useStoryRun, useStoryStep, useUi } from '../state/selectors';
import { movedStep, type StoryMove, stepIndex, storySteps } from './story';
import { StoryFigureView } from './StoryFigure';
import './story.css';

/** The header's Story button, and the story itself while it is open. */
export function StoryButton() {
  const { story } = useUi();
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={button}
        className="secondary story-toggle"
        data-testid="story-toggle"
        aria-haspopup="dialog"
        onClick={() => labActions().storyToggled(true)}
        title="Story mode: the run step by step (arrows or a clicker, Escape closes)"
      >
        Story
      </button>
      {story && createPortal(<StoryMode returnTo={button} />, document.body)}
    </>
  );
}

function StoryMode({ returnTo }: { returnTo: React.RefObject<HTMLButtonElement | null> }) {
  const run = useStoryRun();
  const key = useStoryStep();
  const steps = useMemo(() => storySteps(run), [run]);
  const i = stepIndex(steps, key);
  const step = steps[i]!;
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Focus into the story, so its keys work at once; the lab behind takes no focus or clicks.
    const lab = document.getElementById('lab');
    lab?.setAttribute('inert', '');
    document.documentElement.classList.add('story-open');
    dialog.current?.focus();
    const back = returnTo.current;
    return () => {
      lab?.removeAttribute('inert');
      document.documentElement.classList.remove('story-open');
      back?.focus();
    };
  }, [returnTo]);

  const move = (to: StoryMove) => labActions().storyStepShown(movedStep(steps, key, to));
  // A mouse click leaves focus on the dialog, not the button, so the arrows step at once after.
  const clicked = (e: React.MouseEvent) => {
    if (e.detail > 0) dialog.current?.focus();
  };
  return (
    <div
      ref={dialog}
      className="story"
      role="dialog"
      aria-modal="true"
      aria-labelledby="story-title"
      tabIndex={-1}
      data-testid="story"
      data-step={step.key}
    >
      <div className="story-figure" data-testid="story-figure">
        {step.figure.kind === 'none' ? (
          <p className="story-empty">No figure yet: a step shows one when its round finishes.</p>
        ) : (
          <StoryFigureView figure={step.figure} run={run} />
        )}
      </div>
      <section className="story-text" aria-label="Narration" data-testid="story-text">
        <p className="story-counter" data-testid="story-counter">
          Step {i + 1} of {steps.length}
          {run.live ? ' so far: the run is still going' : ''}
        </p>
        <div aria-live="polite" aria-atomic="true" data-testid="story-narration">
          <h2 id="story-title">{step.title}</h2>
          {step.sentences.map((s) => (
            <p key={s}>{s}</p>
          ))}
        </div>
        {step.key === 'empty' && !run.live && (
          <p className="story-actions">
            <button data-testid="story-run" onClick={() => startNewRun()}>
              Run
            </button>
            <button className="secondary" onClick={() => void playRecorded()}>
              Replay the recorded run
            </button>
          </p>
        )}
        <nav className="story-nav" aria-label="Story steps">
          <button
            className="secondary"
            data-testid="story-previous"
            disabled={i === 0}
            onClick={(e) => {
              move('previous');
              clicked(e);
            }}
          >
            ← Previous
          </button>
          <button
            data-testid="story-next"
            disabled={i === steps.length - 1}
            onClick={(e) => {
              move('next');
              clicked(e);
            }}
          >
            Next →
          </button>
          <button
            className="secondary"
            data-testid="story-close"
            onClick={() => labActions().storyToggled(false)}
          >
            Close
          </button>
        </nav>
        <p className="story-keys">
          Keys: → or PageDown next, ← or PageUp previous, Home and End, Escape closes.
        </p>
      </section>
    </div>
  );
}
