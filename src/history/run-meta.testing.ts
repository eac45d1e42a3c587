/** A stored run's record for tests: the tiny run file's config, done, three rounds kept. */
import { ENGINE_VERSION } from '../engine/config';
import { tinyRunFile } from '../formats/formats.testing';
import type { RunMeta } from './run-meta';

export function tinyMeta(id: string, patch: Partial<RunMeta> = {}): RunMeta {
  return {
    id,
    name: `run ${id}`,
    createdAt: 1,
    updatedAt: 1,
    config: tinyRunFile().config,
    backend: 'wasm',
    status: 'done',
    origin: 'lab',
    firstRound: 0,
    roundsDone: 3,
    remaining: 0.5,
    bestAccuracy: 0.9,
    continuable: false,
    engine: ENGINE_VERSION,
    ...patch,
  };
}
