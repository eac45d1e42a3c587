/**
 * Tickets written by earlier versions of the lab, before a config field existed (training.trials;
 * issue 16's task, inputs, init, criterion, foundOn): they read, with those fields at their
 * defaults, and the header check stays exact for every field the file has.
 */
import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../engine/config';
import { formatError } from './formats.testing';
import { decodeTicket } from './ticket';
import { SMALL, parts, rawTicket } from './ticket.testing';

describe('reading tickets from earlier versions of the lab', () => {
  const { header, payload } = parts(SMALL);

  it('reads a ticket written before trials and issue 16’s settings existed, as their defaults', () => {
    const c = header.config as ExperimentConfig;
    const { trials: _t, ...training } = c.training;
    const { task: _k, inputs: _i, ...data } = c.data;
    const { init: _n, ...model } = c.model;
    const { criterion: _c, foundOn: _f, ...pruning } = c.pruning;
    const older = { ...header, config: { data, model, training, pruning } };
    const read = decodeTicket(rawTicket(older, payload));
    expect(read.config).toEqual(c);
    expect(read.config.pruning.foundOn).toBeNull();
    // Still exact: a field that is there must be written as the lab writes it.
    expect(
      formatError(() => decodeTicket(rawTicket(older, payload, 1, JSON.stringify(older, null, 1)))),
    ).toMatch(/not written the way/);
  });
});
