/**
 * The GPU stack's section of docs/benchmarks.md (issue 17), from bench/results.json: dispatches
 * per step and examples/s at each K, the lab's WGSL step beside tfjs's webgpu on one adapter.
 */
import type { GpuStackFigures } from './results';

const k = (x: number) =>
  x >= 10_000 ? `${(x / 1000).toFixed(1)}k` : Math.round(x).toLocaleString('en-US');

export function gpuStackSection(g: GpuStackFigures | undefined): string {
  if (!g) return '';
  const rows = (['gpu', 'webgpu'] as const).flatMap((name) => {
    const row = g.backends[name];
    if (!row) return [];
    return [
      `| **${name}** | ${g.ks.map((K) => `${row.dispatchesPerStep[`k${K}`]}`).join(' · ')} | ${g.ks
        .map(
          (K) =>
            `${k(row.examplesPerSecond[`k${K}`]!)} (${k(K * row.examplesPerSecond[`k${K}`]!)})`,
        )
        .join(' | ')} |`,
    ];
  });
  const { gpu, webgpu } = g.backends;
  const ratios =
    gpu && webgpu
      ? g.ks
          .map(
            (K) =>
              `${(gpu.examplesPerSecond[`k${K}`]! / webgpu.examplesPerSecond[`k${K}`]!).toFixed(1)}× at K = ${K}`,
          )
          .join(', ')
      : '';
  const head = `| backend | dispatches per step (K = ${g.ks.join(', ')}) | ${g.ks.map((K) => `K = ${K}`).join(' | ')} |`;
  const rule = `| --- | --- | ${g.ks.map(() => '---').join(' | ')} |`;
  return `
## K networks stacked on one GPU (issue 17)

The lab's own WebGPU step (\`gpu\`, WGSL) and tfjs's \`webgpu\` backend on the same adapter —
**${g.adapter}** — at batch ${g.batch}, measured ${g.measuredAt.slice(0, 16).replace('T', ' ')} UTC.
Dispatches are counted where the browser receives them (\`GPUComputePassEncoder.dispatchWorkgroups\`),
per training step; throughput is examples/s per variant (all K variants together in brackets),
the median of 3 windows after a warm-up.${
    g.software
      ? ' This adapter is software (SwiftShader, on the CPU): the figures show what fewer, fused dispatches save, not what a GPU does.'
      : ''
  }

${head}
${rule}
${rows.join('\n')}
${ratios ? `\nThe lab's step against tfjs's on this adapter: ${ratios}.\n` : ''}`;
}
