/**
 * Captions of figures 4, 5 and 6 (what the masks keep), computed from the run's config and the
 * counts the figures draw (issue 15): "layer-wise 20%" only under layer-wise pruning at 20%,
 * "bimodal" only over histograms that dip at zero, "the centre keeps more" only where it does.
 */
import {
  centreAndBorderMeans,
  type LayerCounts,
  PIXELS,
  type SurvivorShape,
  sumCounts,
  survivorShape,
} from '../charts/scales';
import type { PruningConfig, TaskName, VariantName } from '../engine/config';
import { CRITERION_LABEL, CRITERION_REMOVES, TASK_DIGITS, VARIANT_LABEL } from '../settings/labels';
import { int, pct } from './captions';

const share = (x: number) => `${Math.round(100 * x)}%`;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** "a", "a and b", "a, b and c". */
function list(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Figure 4: what the run's pruning does per round, in its own rates, and each layer's share at
 * the latest round the bars show. Global pruning has one rate for all weights, so the caption
 * says which layer it thins most instead of claiming a rate per layer.
 */
export function layerCaption(
  pruning: Pick<PruningConfig, 'scope' | 'rate' | 'outputRate' | 'method' | 'criterion'>,
  rounds: readonly { round: number; layers: readonly number[] }[],
  layerNames: readonly string[],
  seeds: number,
): string {
  const rule =
    pruning.scope === 'layer'
      ? pruning.rate === pruning.outputRate
        ? `Layer-wise pruning removes ${share(pruning.rate)} of every layer's remaining weights per round.`
        : `Layer-wise pruning removes ${share(pruning.rate)} of each hidden layer's remaining weights per round and ${share(pruning.outputRate)} of the output layer's.`
      : `Global pruning removes ${share(pruning.rate)} of all remaining weights per round, with one ${pruning.criterion === 'magnitude' ? 'magnitude' : CRITERION_LABEL[pruning.criterion]} threshold across the layers.`;
  const by =
    pruning.criterion === 'magnitude'
      ? ''
      : ` It removes ${CRITERION_REMOVES[pruning.criterion]}, not those of smallest trained magnitude.`;
  const oneShot =
    pruning.method === 'oneShot'
      ? ' One-shot: each round prunes the dense net in one step to that many rounds’ worth.'
      : '';
  const last = rounds[rounds.length - 1];
  if (!last) return `${rule}${by}${oneShot}`;
  const name = (i: number) => layerNames[i] ?? `layer ${i + 1}`;
  if (last.round === 0)
    return `${rule}${by}${oneShot} Round 0 is the dense net: every layer at 100%.`;
  const each = last.layers.map((v, i) => `${name(i)} ${pct(v)}`).join(', ');
  let tail = '';
  if (pruning.scope === 'global' && last.layers.length > 1) {
    const lo = last.layers.indexOf(Math.min(...last.layers));
    const hi = last.layers.indexOf(Math.max(...last.layers));
    tail =
      lo === hi || last.layers[lo] === last.layers[hi]
        ? ' Every layer keeps the same share.'
        : ` ${cap(name(lo))} keeps the least, ${name(hi)} the most.`;
    if (seeds > 1) tail += ' Trial 0’s masks: each seed thins its layers its own way.';
  }
  return `${rule}${by}${oneShot} At round ${last.round}: ${each}.${tail}`;
}

/**
 * What Figure 5's blue series is for one variant (issue 16): whose survivors, and what values
 * they start from. The engine bins each variant's own starting weights at its own mask; grey is
 * always the whole layer's θ0. `rewind` is the iteration a rewinding run resets to from round 1
 * on (null where survivors reset to θ0): the ticket's source, and what the controls take from it.
 */
export interface StartWords {
  /** Whose survivors blue draws: "the winning ticket", "random reinit". */
  whose: string;
  /** Their starting values, short, for a key: "θ0", "a fresh Glorot draw". */
  values: string;
  /** Their starting values in full, for a caption: "θ0 at its mask". */
  how: string;
  /** Whether blue's values are θ0's own (where every weight survives, blue is grey). */
  theta0: boolean;
}

export function startWords(variant: VariantName, rewind: number | null = null): StartWords {
  const source = rewind === null ? 'θ0' : `the iteration-${rewind} weights`;
  const whose = variant === 'ticket' ? 'the winning ticket' : VARIANT_LABEL[variant];
  const drawn = `every weight of a dense net drawn from the ticket’s surviving ${source}`;
  const words: Record<VariantName, Omit<StartWords, 'whose'>> = {
    ticket: {
      values: source,
      how:
        rewind === null ? 'θ0 at its mask' : `its weights at iteration ${rewind}, where it rewinds`,
      theta0: rewind === null,
    },
    reinit: { values: 'a fresh Glorot draw', how: 'a fresh Glorot draw, not θ0', theta0: false },
    rearrange: {
      values: `the ticket’s ${source}, moved`,
      how: `the ticket’s ${source} values at other positions`,
      theta0: rewind === null,
    },
    random: {
      values: `${source} at a random mask`,
      how: `${source} at a random mask`,
      theta0: rewind === null,
    },
    signed: {
      values: `fresh, with ${source}’s signs`,
      how: `fresh Glorot magnitudes with ${source}’s signs`,
      theta0: false,
    },
    bimodal: { values: 'drawn from the ticket’s survivors', how: drawn, theta0: false },
    'bimodal-glorot': {
      values: 'drawn from the ticket’s survivors, rescaled',
      how: `${drawn}, rescaled to Glorot’s variance`,
      theta0: false,
    },
  };
  return { whose, ...words[variant] };
}

/**
 * Figure 5: whose starting values blue draws, how many of them sit near zero against all θ0,
 * and which layers turn bimodal.
 */
export function histogramCaption(
  layers: readonly LayerCounts[],
  layerNames: readonly string[],
  variant: VariantName = 'ticket',
  rewind: number | null = null,
): string {
  const words = startWords(variant, rewind);
  const key = `Grey: all of a layer’s θ0; blue: the starting values of the survivors of ${words.whose} (${words.how}), each scaled to its own peak.`;
  const shapes = layers.map(survivorShape);
  if (shapes.length === 0) return key;
  const name = (s: SurvivorShape) => layerNames[s.layer] ?? `layer ${s.layer + 1}`;
  if (words.theta0 && shapes.every((s) => s.survivors === s.total))
    return `${key} Every weight survives (the dense net): blue and grey are the same θ0.`;
  const near = shapes
    .map((s) => `${name(s)} ${share(s.nearZeroSurvivors)} (of all θ0 ${share(s.nearZeroAll)})`)
    .join(', ');
  const bimodal = shapes.filter((s) => s.bimodal).map(name);
  const not = shapes.filter((s) => !s.bimodal).map(name);
  const shape =
    bimodal.length === 0
      ? 'No layer’s survivors are bimodal: none dips at zero.'
      : `Bimodal, dipping at zero between two peaks: ${list(bimodal)}${not.length ? `; not ${list(not)}` : ''}.`;
  const value = words.theta0 ? 'θ0' : 'starting value';
  return `${key} Survivors near zero (|${value}| < σ/2, the middle eighth of each axis): ${near}. ${shape}`;
}

/** The most connections any pixel keeps: the top of Figure 6's colour scale. */
export function mostPerPixel(counts: ArrayLike<number>): number {
  let most = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i]! > most) most = counts[i]!;
  return most;
}

/**
 * Whose mask Figure 6 shows, said before its numbers for a control (the ticket's own needs no
 * name): reinit and signed keep the ticket's mask, rearrange and random pruning draw a random
 * one with its count per layer, the bimodal inits are dense.
 */
function maskOf(variant: VariantName): string {
  const name = cap(VARIANT_LABEL[variant]);
  switch (variant) {
    case 'ticket':
      return '';
    case 'reinit':
    case 'signed':
      return `${name}: the ticket’s mask. `;
    case 'rearrange':
    case 'random':
      return `${name}: a random mask with the ticket’s count per layer. `;
    case 'bimodal':
    case 'bimodal-glorot':
      return `${name}: a dense net, no mask. `;
  }
}

/** Figure 6: the centre's connections against the border's, and the brightest pixel's. */
export function pixelCaption(
  counts: ArrayLike<number>,
  dense: number,
  variant: VariantName = 'ticket',
): string {
  if (counts.length !== PIXELS) return 'The pixel map needs 784 counts (28×28).';
  const whose = maskOf(variant);
  const total = sumCounts(counts);
  if (total >= PIXELS * dense) {
    const every = `every pixel keeps all ${int(dense)} connections.`;
    return whose ? `${whose}${cap(every)}` : `The dense net: ${every}`;
  }
  const { centre, border } = centreAndBorderMeans(counts);
  const of = (v: number) => `${v.toFixed(1)} (${pct(v / dense)} of ${int(dense)})`;
  // Within a tenth of each other the two are called the same: a colour step hardly shows it.
  const verdict =
    centre > 1.1 * border
      ? 'the centre keeps more of its connections than the border'
      : border > 1.1 * centre
        ? 'the border keeps more of its connections than the centre'
        : 'centre and border keep about the same share';
  return (
    `${whose}Connections kept per pixel, on average: centre ${of(centre)}, border (outer 4-pixel frame) ${of(border)}: ${verdict}. ` +
    `The colour scale runs from 0 to ${int(mostPerPixel(counts))}, the most any pixel keeps.`
  );
}

/** How Figure 6 lays its counts out: over the net's inputs, or back where each input's pixel sits in the digit. */
export type PixelLayout = 'inputs' | 'digit';

/**
 * What Figure 6's map is over, where the run's task moves pixels (permuted, rotated) or its masks
 * were found on another task (a transfer): the words before its caption; '' for MNIST's own.
 */
export function pixelLayoutWords(
  task: TaskName,
  foundOn: TaskName | null,
  layout: PixelLayout,
  moves: boolean,
): string {
  const transfer = foundOn
    ? `Masks found on ${TASK_DIGITS[foundOn]}, trained on ${TASK_DIGITS[task]}. `
    : '';
  if (!moves) return transfer;
  const where =
    task === 'permuted'
      ? 'an input’s pixel comes from anywhere in the digit (one fixed scramble)'
      : 'each digit is turned a quarter turn clockwise';
  return layout === 'inputs'
    ? `${transfer}Over the net’s inputs, not the digit’s pixels: on ${TASK_DIGITS[task]} ${where}, so “centre” and “border” are of input positions. `
    : `${transfer}Each input put back where its pixel sits in the digit (on ${TASK_DIGITS[task]} ${where}): the map is over the digit, as a person sees it. `;
}
