/**
 * Figure 10, "Draw a digit" (issue 16): the pad, what the networks at the round shown say of the
 * drawing (the dense net, the ticket and its controls, trained), the digit as they see it with
 * the ticket's surviving input connections laid over it, and the user's kept digits with each
 * network's score on them.
 */
import { useMemo } from 'react';
import { ProbabilityBars, type NetworkProbabilities } from '../charts/ProbabilityBars';
import { DigitOverlay } from '../charts/DigitOverlay';
import { BLANK_MESSAGE } from '../digits/preprocess';
import { padChanged } from '../effects/digit-answers';
import type { TaskName, VariantName } from '../engine/config';
import { taskImages } from '../engine/tasks';
import { VARIANT_COLOR } from '../settings/labels';
import { useDigits, useKeptWeights, useShownDigitRound } from '../state/selectors';
import { DrawingPad } from './pad/DrawingPad';
import { KeptDigits } from './pad/KeptDigits';
import './pad/pad.css';
import {
  answersAt,
  inkSurvivorsInWords,
  keptScoreInWords,
  networkLabel,
  networksInWords,
} from './pad/pad-words';

const DENSE_COLOR = '#3a3f4b';

export function DigitPad({
  remaining,
  pixelSurvivors,
  fanOut,
  presenter,
  task,
}: {
  /** The round shown's P_m. */
  remaining: number;
  /** The ticket's surviving first-layer connections per pixel at the round shown (784). */
  pixelSurvivors: ArrayLike<number> | null;
  /** Connections per pixel when dense (layer 1's width). */
  fanOut: number;
  presenter: boolean;
  /**
   * The run's task: the networks see a drawn digit as they saw their training images (its
   * pixels permuted, turned or inverted), and the overlay shows it so, over survivors counted
   * in those same input positions.
   */
  task: TaskName;
}) {
  const { padDigit, padAnswer, keptDigits, keptAnswers, message } = useDigits();
  const at = useShownDigitRound();
  // A run trained from an imported ticket has no dense net (review finding 9): said, not drawn.
  const { noDense } = useKeptWeights();
  const current =
    padAnswer && at && padAnswer.round === at.round && padAnswer.trial === at.trial
      ? padAnswer
      : null;

  const networks = useMemo<NetworkProbabilities[]>(
    () =>
      (current?.answers ?? []).map((a) => ({
        key: a.network,
        label: networkLabel(a.network),
        color: a.network === 'dense' ? DENSE_COLOR : VARIANT_COLOR[a.network as VariantName],
        probabilities: a.probabilities,
      })),
    [current],
  );
  const keptAt = useMemo(() => answersAt(keptAnswers, at), [keptAnswers, at]);
  const seen = useMemo(
    () => (padDigit && task !== 'mnist' ? taskImages(padDigit, task) : padDigit),
    [padDigit, task],
  );
  const turned =
    task === 'mnist'
      ? ''
      : ` This run's task (${task}) changes every image before the networks see it, so it is drawn here as they see it.`;
  const score = useMemo(
    () => keptScoreInWords(keptDigits, keptAnswers, at),
    [keptDigits, keptAnswers, at],
  );

  let status: string | null = null;
  if (!padDigit) status = BLANK_MESSAGE;
  else if (!at)
    status = `The networks answer once a run has trained its first round${noDense ? '' : ' (the dense net)'}.`;
  else if (!current) status = `Asking the networks of round ${at.round}…`;
  else if (current.error) status = `No answer: ${current.error.replace(/\.$/, '')}.`;

  const overlayWords =
    seen && pixelSurvivors
      ? `${inkSurvivorsInWords(seen, pixelSurvivors, fanOut, remaining)}${turned}`
      : seen
        ? `Your digit as the networks see it: 28×28, scaled into a 20×20 box and centred by mass.${turned}`
        : null;

  return (
    <figure className="panel figure digit-pad" data-testid="figure-digit-pad">
      <h2>10 · Draw a digit</h2>
      <figcaption>
        Draw a digit; it is made into MNIST&apos;s format (its bounding box scaled into 20×20,
        centred by mass in 28×28) and classified in this browser by{' '}
        {networksInWords(at, remaining, noDense)}. Nothing you draw leaves this device.
      </figcaption>
      <div className="digit-pad-row">
        <DrawingPad digit={padDigit} onDigit={padChanged} size={presenter ? 360 : 240} />
        {padDigit && (
          <div className="digit-seen">
            <DigitOverlay
              pixels={seen ?? padDigit}
              counts={pixelSurvivors}
              size={presenter ? 224 : 140}
              label={`Your digit as the networks see it${pixelSurvivors ? ", over the ticket's surviving input connections per pixel (brighter: more kept)" : ''}. ${overlayWords ?? ''}`}
            />
            <p className="caption" data-testid="digit-overlay-caption">
              {overlayWords}
            </p>
          </div>
        )}
        <div className="digit-answers" aria-live="polite">
          {status !== null ? (
            <p data-testid="pad-status" className={current?.error ? 'message error' : 'muted'}>
              {status}
            </p>
          ) : (
            <ProbabilityBars
              networks={networks}
              caption={`What each network says at round ${at!.round}: the probability of each digit.`}
            />
          )}
        </div>
      </div>
      <KeptDigits
        digits={keptDigits}
        canKeep={padDigit !== null}
        answers={keptAt}
        score={score}
        onUse={(d) => padChanged(d.pixels)}
      />
      {message && (
        <p
          data-testid="digits-message"
          className={message.error ? 'message error' : 'message notice'}
          role={message.error ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
    </figure>
  );
}
