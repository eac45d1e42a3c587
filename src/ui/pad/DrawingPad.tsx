/**
 * The drawing pad (issue 16): a big canvas drawn on with a mouse, a finger or a pen (Pointer
 * Events, one code path for all three), its ink made into MNIST's format by MNIST's own recipe
 * (src/digits/preprocess.ts) and handed on while the pen moves (at most every DEBOUNCE_MS) and
 * when it lifts. A digit set from elsewhere (a kept one, chosen with the keyboard) is painted in.
 */
import { useCallback, useEffect, useRef, type PointerEvent } from 'react';
import { MNIST_SIDE, prepareDrawing } from '../../digits/preprocess';

/** The canvas's own pixels: ten per MNIST pixel. */
export const PAD_SIDE = 280;
/**
 * The pen, in the pad's pixels: a digit drawn across most of the pad becomes MNIST's 20-pixel box
 * at about a fourteenth of its size, where this is MNIST's stroke of about 1.5–2.5 pixels.
 */
export const PEN_WIDTH = 22;
/** While the pen moves, the networks are asked at most this often. */
export const DEBOUNCE_MS = 120;

/** The canvas's ink (its alpha), one byte a pixel. */
function inkOf(canvas: HTMLCanvasElement): Uint8Array | null {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const ink = new Uint8Array(canvas.width * canvas.height);
  for (let p = 0; p < ink.length; p++) ink[p] = rgba[p * 4 + 3]!;
  return ink;
}

/** Paints an MNIST digit over the whole pad, ten canvas pixels to one of its. */
function paintDigit(canvas: HTMLCanvasElement, pixels: Uint8Array): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const cell = canvas.width / MNIST_SIDE;
  for (let p = 0; p < pixels.length; p++) {
    if (pixels[p] === 0) continue;
    ctx.fillStyle = `rgba(0, 0, 0, ${pixels[p]! / 255})`;
    ctx.fillRect((p % MNIST_SIDE) * cell, Math.floor(p / MNIST_SIDE) * cell, cell, cell);
  }
}

export function DrawingPad({
  digit,
  onDigit,
  size,
}: {
  /** The pad's digit in the store (MNIST's format); null: empty. */
  digit: Uint8Array | null;
  /** The drawing as MNIST's format, or null: nothing drawn. */
  onDigit: (pixels: Uint8Array | null) => void;
  /** Its side on screen in CSS pixels (it shrinks to fit a narrow screen). */
  size: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<{ x: number; y: number; id: number } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The digit this pad last handed on: any other that arrives was set from elsewhere.
  const handedOn = useRef<Uint8Array | null>(null);

  const handOn = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const c = canvas.current;
    const ink = c && inkOf(c);
    if (!c || !ink) return;
    const prepared = prepareDrawing(ink, c.width, c.height);
    const pixels = prepared.kind === 'digit' ? prepared.pixels : null;
    handedOn.current = pixels;
    onDigit(pixels);
  }, [onDigit]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || digit === handedOn.current) return;
    handedOn.current = digit;
    if (digit) paintDigit(c, digit);
    else c.getContext('2d')?.clearRect(0, 0, c.width, c.height);
  }, [digit]);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  const at = (e: PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) / r.width) * PAD_SIDE,
      y: ((e.clientY - r.top) / r.height) * PAD_SIDE,
    };
  };
  const line = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = PEN_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };

  const onDown = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.preventDefault();
    e.currentTarget.setPointerCapture?.(e.pointerId);
    const p = at(e);
    drawing.current = { ...p, id: e.pointerId };
    line(p, p);
    timer.current ??= setTimeout(handOn, DEBOUNCE_MS);
  };
  const onMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const from = drawing.current;
    if (!from || from.id !== e.pointerId) return;
    // A pen or a finger reports more points than frames: draw through all of them.
    const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
    const r = e.currentTarget.getBoundingClientRect();
    let last = { x: from.x, y: from.y };
    for (const ev of events.length > 0 ? events : [e.nativeEvent]) {
      const p = {
        x: ((ev.clientX - r.left) / r.width) * PAD_SIDE,
        y: ((ev.clientY - r.top) / r.height) * PAD_SIDE,
      };
      line(last, p);
      last = p;
    }
    drawing.current = { ...last, id: e.pointerId };
    timer.current ??= setTimeout(handOn, DEBOUNCE_MS);
  };
  const onUp = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current || drawing.current.id !== e.pointerId) return;
    drawing.current = null;
    handOn();
  };

  const clear = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    drawing.current = null;
    const c = canvas.current;
    c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
    handedOn.current = null;
    onDigit(null);
  };

  return (
    <div className="drawing-pad-box" style={{ width: size, maxWidth: '100%' }}>
      <canvas
        ref={canvas}
        className="drawing-pad"
        data-testid="drawing-pad"
        width={PAD_SIDE}
        height={PAD_SIDE}
        role="img"
        aria-label={
          digit
            ? 'Drawing pad with your digit. Draw with a mouse, a finger or a pen; Clear empties it.'
            : 'Drawing pad, empty. Draw a digit with a mouse, a finger or a pen, or use a kept digit from the list below.'
        }
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={onUp}
        style={{ width: '100%', height: 'auto', aspectRatio: '1 / 1' }}
      />
      <button type="button" className="secondary" data-testid="pad-clear" onClick={clear}>
        Clear
      </button>
    </div>
  );
}
