/** The keyboard cursor of the charts: its first press, its steps, and its walls. */
import { describe, expect, it } from 'vitest';
import { moveCursor } from './cursor';

describe('moveCursor', () => {
  it('puts the first arrow press on the start, then steps and stops at the edges', () => {
    const start = { col: 2, row: 1 };
    expect(moveCursor('ArrowRight', null, 3, 2, start)).toEqual(start);
    expect(moveCursor('ArrowRight', start, 3, 2)).toEqual({ col: 2, row: 1 });
    expect(moveCursor('ArrowLeft', start, 3, 2)).toEqual({ col: 1, row: 1 });
    expect(moveCursor('ArrowUp', start, 3, 2)).toEqual({ col: 2, row: 0 });
    expect(moveCursor('ArrowDown', start, 3, 2)).toEqual({ col: 2, row: 1 });
    expect(moveCursor('Home', start, 3, 2)).toEqual({ col: 0, row: 1 });
    expect(moveCursor('End', { col: 0, row: 0 }, 3, 2)).toEqual({ col: 2, row: 0 });
  });

  it('takes no other key, and nothing on an empty grid', () => {
    expect(moveCursor(' ', { col: 0, row: 0 }, 3, 2)).toBeNull();
    expect(moveCursor('Enter', null, 3, 2)).toBeNull();
    expect(moveCursor('ArrowRight', null, 0, 3)).toBeNull();
  });
});
