/** The worker's door: every listed command type passes, anything else is refused. */
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, isCommand } from './protocol';

describe('isCommand', () => {
  it('takes the eight commands of the protocol, and the list names exactly those', () => {
    const eight = ['init', 'start', 'pause', 'resume', 'step', 'stop', 'setBackend', 'calibrate'];
    for (const type of eight) expect(isCommand({ type })).toBe(true);
    expect([...COMMAND_TYPES].sort()).toEqual([...eight].sort());
  });

  it('refuses what is not a command: other types (the retired continueRun, trainTicket), no type, no object', () => {
    for (const x of [
      { type: 'continueRun' },
      { type: 'trainTicket' },
      { type: 'test' },
      { type: 'START' },
      {},
      null,
      'start',
      ['start'],
      42,
    ])
      expect(isCommand(x)).toBe(false);
  });
});
