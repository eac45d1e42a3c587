/** What a config will do before anything has run: the settings panel's previews. */
import type { ExperimentConfig } from '../engine/config';
import { weightSizes } from '../engine/init';
import { scheduledGlobalCount, scheduledLayerCounts } from '../engine/prune';

/** P_m after `round` rounds of this config: the rounds slider's preview. */
export function plannedRemaining(config: ExperimentConfig, round: number): number {
  const sizes = weightSizes(config.model.layers);
  const total = sizes.reduce((a, b) => a + b, 0);
  const kept =
    config.pruning.scope === 'layer'
      ? scheduledLayerCounts(config, sizes, round).reduce((a, b) => a + b, 0)
      : scheduledGlobalCount(config, sizes, round);
  return kept / total;
}
