/** The worker's door: every listed command type passes, anything else is refused. */
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, isCommand } from './protocol';

describe('isCommand', () => {
  it('takes every command type the protocol lists', () => {
    for (const type of COMMAND_TYPES) expect(isCommand({ type })).toBe(true);
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
