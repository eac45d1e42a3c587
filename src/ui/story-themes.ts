/**
 * Story mode's closing steps (story.ts tells the rounds): the paper's findings over the whole run,
 * each titled and worded by what the data shows: the controls falling away, tickets learning
 * faster, the survivors turning bimodal, the masks classifying before training.
 */
import {
  accuracyAtStart,
  behindWords,
  cap,
  controlWords,
  type Ctx,
  type DoneRound,
  gapAt,
  int,
  label,
  pct,
  seedNote,
  type StoryStep,
  survivalOf,
  variantOf,
} from './story-facts';

export function controlsStep(ctx: Ctx, pruned: DoneRound[]): StoryStep {
  const first = pruned[0]!;
  const last = pruned[pruned.length - 1]!;
  const controls = ctx.config.pruning.controls.filter((c) => variantOf(last, c));
  const testSize = ctx.config.data.testSize;
  const trend = controls.flatMap((c) => {
    const a = gapAt(first, ctx.trialRounds, c, testSize, label(c));
    const b = gapAt(last, ctx.trialRounds, c, testSize, label(c));
    if (!a || !b) return [];
    return [{ c, a, b }];
  });
  // "Fall away" only where every control ends further behind than it began, and behind: over
  // seeds, with a verdict of "ahead" for the ticket.
  const fell =
    trend.length > 0 &&
    trend.every(
      ({ a, b }) =>
        b.gap > a.gap && b.gap > 0 && (b.verdict === null || b.verdict.kind === 'ahead'),
    );
  const over = trend[0]?.b.verdict ? `means over ${trend[0].b.seeds} seeds` : 'seed 0';
  return {
    key: 'controls',
    title: fell ? 'The controls fall away' : 'The ticket against the controls',
    round: last.round,
    figure: { kind: 'pm', measure: 'accuracy' },
    sentences: [
      'Test accuracy at early stop against the weights remaining, dense on the left, sparsest on the right.',
      ...trend.map(
        ({ c, a, b }) =>
          `${cap(label(c))}: ${behindWords(a.gap)} at ${pct(first.remaining)}, ${behindWords(b.gap)} at ${pct(last.remaining)} (${over}).`,
      ),
      ...controls
        .flatMap((c) => controlWords(ctx, last, c) ?? [])
        .map((s) => `At ${pct(last.remaining)}: ${s}`),
      fell
        ? 'Look at the gap between the solid line and the dashed ones widening as the net thins: the mask alone is not the ticket; its start θ0 matters.'
        : 'Look at the gap between the solid line and the dashed ones as the net thins.',
    ],
  };
}

export function earlyStopStep(ctx: Ctx, pruned: DoneRound[]): StoryStep {
  const d = variantOf(ctx.dense, 'ticket')!.earlyStop.iteration;
  const tickets = pruned.map((r) => ({ r, it: variantOf(r, 'ticket')!.earlyStop.iteration }));
  const earliest = tickets.reduce((m, x) => (x.it < m.it ? x : m));
  const last = tickets[tickets.length - 1]!;
  // "Faster" is a claim about the tickets, not one lucky round: most of them, and the sparsest,
  // stop before the dense net.
  const earlier = tickets.filter((t) => t.it < d).length;
  const faster = earlier * 2 > tickets.length && last.it < d;
  const controls = ctx.config.pruning.controls.flatMap((c) => {
    const v = variantOf(last.r, c);
    return v ? [`${label(c)} ${int(v.earlyStop.iteration)}`] : [];
  });
  const noise =
    ctx.seeds > 1
      ? ` (seed 0's; the figure shows the mean of ${ctx.seeds} seeds)`
      : ' (one seed: may be seed noise)';
  return {
    key: 'early-stop',
    title: faster ? 'Tickets learn faster' : 'When each net stops learning',
    round: null,
    figure: { kind: 'pm', measure: 'iteration' },
    sentences: [
      `The early stop is where validation loss bottoms out: the dense net's is iteration ${int(d)}.`,
      `The earliest ticket stops at iteration ${int(earliest.it)} (${pct(earliest.r.remaining)} of weights), ${earliest.it < d ? 'earlier' : earliest.it === d ? 'the same' : 'later'}; ${earlier} of ${tickets.length} pruned tickets stop before the dense net; at ${pct(last.r.remaining)} the ticket stops at ${int(last.it)}${controls.length ? ` against ${controls.join(', ')}` : ''}${noise}.`,
      'Look at how low the solid line sits against the dashed ones: lower is faster.',
    ],
  };
}

export function bimodalStep(ctx: Ctx, r: DoneRound): StoryStep {
  const ticket = r.histograms!.find((h) => h.variant === 'ticket');
  const layers = (ticket?.layers ?? []).flatMap((l) => survivalOf(l) ?? []);
  const hidden = layers.slice(0, Math.max(1, layers.length - 1));
  const bimodal = hidden.length > 0 && hidden.every((l) => l.bimodal);
  const first = layers[0];
  return {
    key: 'bimodal',
    title: bimodal ? 'The survivors turn bimodal' : 'Which starting weights survive',
    round: r.round,
    figure: { kind: 'histograms', round: r.round },
    sentences: [
      `Grey: every weight's θ0 in a layer; blue: θ0 of the ticket's survivors at ${pct(r.remaining)} (round ${r.round}${ctx.seeds > 1 ? ', seed 0' : ''}).`,
      ...(first
        ? [
            `In layer 1, ${pct(first.smallKept)} of the weights that started small (|θ0| under one standard deviation) survive, against ${pct(first.largeKept)} of the rest.`,
          ]
        : []),
      bimodal
        ? 'Look at the blue humps on either side of zero: weights that started near zero were pruned, though pruning looked only at trained values.'
        : `The blue survivors have no dip at zero in ${hidden
            .filter((l) => !l.bimodal)
            .map((l) => `layer ${l.layer + 1}`)
            .join(', ')} yet: look at the centre as rounds go by.`,
    ],
  };
}

export function masksStep(ctx: Ctx, pruned: DoneRound[]): StoryStep {
  const last = pruned[pruned.length - 1]!;
  const ticket = accuracyAtStart(last, 'ticket')!;
  const dense = accuracyAtStart(ctx.dense, 'ticket');
  const controls = ctx.config.pruning.controls.flatMap((c) => {
    const a = accuracyAtStart(last, c);
    return a === null ? [] : [{ c, a }];
  });
  // "Classify" only well above chance and above the dense start and every control's.
  const others = [...(dense === null ? [] : [dense]), ...controls.map((x) => x.a)];
  const classify = ticket >= 0.3 && others.every((a) => ticket - a >= 0.1);
  const starts = pruned.flatMap((r) => {
    const a = accuracyAtStart(r, 'ticket');
    return a === null ? [] : [{ r, a }];
  });
  const best = starts.reduce((m, x) => (x.a > m.a ? x : m));
  return {
    key: 'masks',
    title: classify ? 'The masks alone already classify' : 'Before any training',
    round: last.round,
    figure: { kind: 'accuracy', upTo: last.round, controlsOf: last.round, fromStart: true },
    sentences: [
      `Iteration 0 is before any training: the net is θ0 with the mask applied. At ${pct(last.remaining)} (round ${last.round}) the ticket classifies ${pct(ticket)} of the test images${dense !== null ? `; the dense net at θ0 classified ${pct(dense)}` : ''} (chance is 10%).`,
      ...(controls.length
        ? [
            `With the same P_m at iteration 0: ${controls.map(({ c, a }) => `${label(c)} ${pct(a)}`).join(', ')}.`,
          ]
        : []),
      ...(best.r !== last
        ? [
            `The ticket's highest start so far: ${pct(best.a)} at ${pct(best.r.remaining)} (round ${best.r.round}).`,
          ]
        : []),
      classify
        ? 'Look at where each line begins: the ticket starts high before a single step, so the mask, found by training, already encodes much of the task.'
        : 'Look at where each line begins, at iteration 0.',
      ...seedNote(ctx),
    ],
  };
}
