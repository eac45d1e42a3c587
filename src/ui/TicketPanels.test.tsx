// @vitest-environment happy-dom
/**
 * The import panel names two tasks apart: where a ticket's masks were found, and where the result
 * it carries was measured (they differ for a ticket exported from a transfer run); and every
 * imported ticket starts its own offer, not the last one's task.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tinyTicket } from '../formats/formats.testing';
import type { Ticket } from '../formats/ticket';
import { useLabStore } from '../state/lab-store';
import { ImportedTicket } from './TicketPanels';

const initial = useLabStore.getState();
beforeEach(() => useLabStore.setState(initial, true));
afterEach(cleanup);

const load = (ticket: Ticket, fileName = 't.ticket') =>
  act(() => useLabStore.getState().ticketLoaded({ ticket, fileName }));
const panel = () => screen.getByTestId('imported-ticket').textContent ?? '';
const select = () => screen.getByTestId('ticket-task') as HTMLSelectElement;

/** A ticket exported from a run that trained MNIST's ticket on inverted digits. */
function fromTransferRun(): Ticket {
  const t = tinyTicket();
  return {
    ...t,
    config: {
      ...t.config,
      data: { ...t.config.data, task: 'inverted' },
      pruning: { ...t.config.pruning, foundOn: 'mnist' },
    },
  };
}

describe('the imported ticket’s offer', () => {
  it('a ticket of a run’s own masks: found and measured on one task', () => {
    render(<ImportedTicket />);
    load(tinyTicket());
    expect(panel()).toContain('masks found on MNIST digits');
    expect(panel()).toMatch(/Where it was found \(lottery-ticket-lab 0.1 \(test\)\) it reached/);
    expect(select().value).toBe('mnist');
    expect(screen.getByTestId('ticket-task-note').textContent).toBe(
      'the task its masks were found on.',
    );
  });

  it('a ticket from a transfer run: masks from one task, its result from another, each named', () => {
    render(<ImportedTicket />);
    load(fromTransferRun());
    expect(panel()).toContain('masks found on MNIST digits');
    expect(panel()).toMatch(
      /In the run it came from \(lottery-ticket-lab 0.1 \(test\), on inverted digits\) it reached/,
    );
    // By default it trains as its run did: on inverted digits, still a transfer of MNIST's masks.
    expect(select().value).toBe('inverted');
    expect(screen.getByTestId('ticket-task-note').textContent).toMatch(
      /masks found on MNIST digits, trained on inverted digits/,
    );
  });

  it('starts every imported ticket on its own task, whatever was chosen for the last one', () => {
    render(<ImportedTicket />);
    load(tinyTicket(), 'a.ticket');
    fireEvent.change(select(), { target: { value: 'rotated' } });
    expect(select().value).toBe('rotated');
    load({ ...tinyTicket(), createdAt: '2026-12-06T00:00:00.000Z' }, 'b.ticket');
    expect(select().value).toBe('mnist');
  });
});
