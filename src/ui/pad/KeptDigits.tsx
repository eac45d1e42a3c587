/**
 * The user's kept digits (issue 16): keep the pad's drawing with the digit it is, see them as
 * thumbnails with what the ticket said, use one on the pad (the keyboard's way to draw), delete,
 * export and import them, and each network's score on them. Stored in this browser only.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { DIGIT_WORDS, type KeptDigit } from '../../digits/kept';
import { topDigit } from '../../digits/scores';
import {
  deleteKeptDigit,
  exportKeptDigits,
  importKeptDigits,
  keepDigit,
} from '../../effects/kept-digits';
import type { ClassifyAnswer } from '../../worker/protocol';

const Thumbnail = memo(function Thumbnail({ pixels }: { pixels: Uint8Array }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      const v = 255 - pixels[p]!;
      img.data.set([v, v, v, 255], p * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [pixels]);
  return (
    <canvas
      ref={canvas}
      width={28}
      height={28}
      aria-hidden="true"
      style={{ width: 42, height: 42, imageRendering: 'pixelated', display: 'block' }}
    />
  );
});

export function KeptDigits({
  digits,
  canKeep,
  answers,
  score,
  onUse,
}: {
  digits: readonly KeptDigit[];
  /** Something is drawn on the pad. */
  canKeep: boolean;
  /** Each kept digit's answers at the round shown, by id. */
  answers: Readonly<Record<string, ClassifyAnswer[]>>;
  /** Each network's score on them, in words. */
  score: string;
  onUse: (d: KeptDigit) => void;
}) {
  const [label, setLabel] = useState('');
  const file = useRef<HTMLInputElement>(null);
  return (
    <section className="kept-digits" aria-label="Your kept digits">
      <h3>Your digits: a private test set</h3>
      <div className="kept-actions">
        <label>
          It is a{' '}
          <select data-testid="keep-label" value={label} onChange={(e) => setLabel(e.target.value)}>
            <option value="">choose…</option>
            {DIGIT_WORDS.map((w, d) => (
              <option key={d} value={d}>
                {d} ({w})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid="keep-digit"
          disabled={!canKeep || label === ''}
          onClick={() => keepDigit(Number(label))}
        >
          Keep
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="kept-export"
          disabled={digits.length === 0}
          onClick={exportKeptDigits}
        >
          Export
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="kept-import"
          onClick={() => file.current?.click()}
        >
          Import…
        </button>
        <input
          ref={file}
          type="file"
          accept=".json,application/json"
          data-testid="kept-import-file"
          aria-label="Import kept digits from a file"
          hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importKeptDigits(f);
          }}
        />
      </div>
      <p className="kept-score" data-testid="kept-score" aria-live="polite">
        {score}
      </p>
      {digits.length > 0 && (
        <ul className="kept-list" data-testid="kept-list">
          {digits.map((d, i) => {
            const ticket = answers[d.id]?.find((a) => a.network === 'ticket');
            const said = ticket ? topDigit(ticket.probabilities).digit : null;
            const name = `kept digit ${i + 1}, a ${d.label}`;
            return (
              <li key={d.id} data-testid="kept-digit" data-label={d.label}>
                <Thumbnail pixels={d.pixels} />
                <span>
                  {d.label}
                  {said !== null && (
                    <span className={said === d.label ? 'right' : 'wrong'}>
                      {' '}
                      · ticket: {said}
                      {said === d.label ? ' ✓' : ' ✗'}
                    </span>
                  )}
                </span>
                <button
                  type="button"
                  className="link"
                  aria-label={`Use ${name} on the pad`}
                  onClick={() => onUse(d)}
                >
                  use
                </button>
                <button
                  type="button"
                  className="link"
                  aria-label={`Delete ${name}`}
                  data-testid="kept-delete"
                  onClick={() => deleteKeptDigit(d.id)}
                >
                  delete
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
