/** The supermask slider's latency figures (bench/supermask.ts measures them) and their report. */

export interface SupermaskFigures {
  threads: number;
  testImages: number;
  previewImages: number;
  /** Opening a session of the test images (every idle request opens one). */
  openMs: number;
  /** Ranking the dense net's |w| once (the first request after the dense round pays it). */
  rankingMs: number;
  points: {
    pm: number;
    /** Request → the preview's two accuracies (mask, load, evaluation on the first 2,000). */
    previewMs: number;
    /** Request → the whole test set's, after the preview. */
    wholeMs: number;
    /** The whole test set alone (a starting point of the figure; between rounds). */
    wholeOnlyMs: number;
    /** oneShotMasks' sort of |w| at this P_m, which the ranking's prefix replaced. */
    sortMs: number;
  }[];
}

/** The report's section: the slider's latency per P_m. */
export function supermaskSection(f: SupermaskFigures): string {
  const ms = (x: number) => `${Math.round(x)} ms`;
  const n = (x: number) => x.toLocaleString('en-US');
  const rows = f.points
    .map(
      (p) =>
        `| ${Math.round(p.pm * 100)}% | ${ms(p.previewMs)} | ${ms(p.wholeMs)} | ${ms(p.wholeOnlyMs)} | ${ms(p.sortMs)} |`,
    )
    .join('\n');
  return `
## The supermask slider (figure 9)

One P_m of the slider while no run trains, on the lab's kernels in Node (${f.threads} threads),
LeNet-300-100: the one-shot mask applied to θ0 and to the trained dense net, both evaluated.
Medians of 5. A request is answered on the test set's first ${n(f.previewImages)} digits first, then on all
${n(f.testImages)}; a mask is a prefix of one ranking of |w| (${ms(f.rankingMs)}, once per dense net), where a
sort per P_m cost the last column; a session of the test images opens in ${ms(f.openMs)}.

| P_m | first ${n(f.previewImages)} digits | all ${n(f.testImages)}, after them | all ${n(f.testImages)} alone | a sort per P_m (before) |
| --- | --- | --- | --- | --- |
${rows}
`;
}
