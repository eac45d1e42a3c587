import { describe, expect, it } from 'vitest';
import { figureFileName, slug } from './file-names';

describe('slug', () => {
  it('keeps lower-case letters and digits, one hyphen for anything else, no hyphen at either end', () => {
    expect(slug('One-shot × 3,000 iterations vs reinit, seed 0', 'run')).toBe(
      'one-shot-3-000-iterations-vs-reinit-seed-0',
    );
    expect(slug('  Étude à 7 %  ', 'run')).toBe('etude-a-7');
  });
  it('is at most `max` characters, never ending in a hyphen, and falls back when nothing is left', () => {
    expect(slug('a'.repeat(59) + ' b', 'run')).toBe('a'.repeat(59));
    expect(slug('x'.repeat(100), 'run')).toHaveLength(60);
    expect(slug('θ0 → θ1', 'run', 4)).toBe('0-1');
    expect(slug('***', 'run')).toBe('run');
    expect(slug('', 'figure')).toBe('figure');
  });
});

describe('figureFileName', () => {
  const day = new Date(2026, 10, 25, 23, 59);
  it('names the file after the lab, the figure and the local date', () => {
    expect(figureFileName('accuracy', 'svg', day)).toBe(
      'lottery-ticket-lab-accuracy-2026-11-25.svg',
    );
    expect(figureFileName('accuracy', 'png', new Date(2027, 0, 3))).toBe(
      'lottery-ticket-lab-accuracy-2027-01-03.png',
    );
  });
  it('reduces the id to lower-case letters, digits and single dashes', () => {
    expect(figureFileName('Early Stop / P_m (log)', 'svg', day)).toBe(
      'lottery-ticket-lab-early-stop-p-m-log-2026-11-25.svg',
    );
    expect(figureFileName('../../étc/passwd', 'png', day)).toBe(
      'lottery-ticket-lab-etc-passwd-2026-11-25.png',
    );
    expect(figureFileName('θ0', 'svg', day)).toBe('lottery-ticket-lab-0-2026-11-25.svg');
    expect(figureFileName('***', 'svg', day)).toBe('lottery-ticket-lab-figure-2026-11-25.svg');
  });
});
