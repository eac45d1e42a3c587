/**
 * A number typed exactly, beside a slider too coarse for it (issue 15: iterations from 10 to
 * 50,000 and seeds from 0 to 99,999 cannot be hit by dragging). What is typed is a draft until
 * Enter or leaving the field commits it, so "12345" is not clamped at its first digit; Escape puts
 * the setting's value back. Dragging the slider shows in the field at once.
 */
import { useState } from 'react';

export function NumberBox({
  label,
  value,
  min,
  max,
  integer,
  disabled,
  testId,
  onCommit,
}: {
  /** For screen readers: the field has no label element of its own. */
  label: string;
  value: number;
  min: number;
  max: number;
  integer: boolean;
  disabled: boolean;
  testId: string;
  /** The text as typed: the field's own rules clamp it or say what was wrong. */
  onCommit(text: string): void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    setDraft(null);
    onCommit(draft);
  };
  return (
    <input
      type="number"
      className="number-box"
      data-testid={testId}
      aria-label={label}
      inputMode={integer ? 'numeric' : 'decimal'}
      min={min}
      max={max}
      step={integer ? 1 : 'any'}
      value={draft ?? String(value)}
      disabled={disabled}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        else if (e.key === 'Escape') setDraft(null);
      }}
    />
  );
}
