/** The worker's door: every listed command type passes, anything else is refused. */
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, isCommand } from './protocol';

describe('isCommand', () => {
  it('takes the eleven commands of the protocol, and the list names exactly those', () => {
    const commands = [
      'init',
      'start',
      'pause',
      'resume',
      'step',
      'stop',
      'setBackend',
      'calibrate',
      // Issue 16: the drawing pad, the supermask slider, a stored run's weights.
      'classify',
      'supermask',
      'openWeights',
    ];
    for (const type of commands) expect(isCommand({ type })).toBe(true);
    expect([...COMMAND_TYPES].sort()).toEqual([...commands].sort());
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
