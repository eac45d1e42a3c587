/**
 * The settings of the experiments beyond the paper (issue 16), rows of the one table in
 * fields.ts: what a round keeps, the bimodal init, the task, and how pixels become inputs. Each
 * default is the paper's, so a link without them means what it meant before they existed.
 */
import {
  CRITERIA,
  type CriterionName,
  type ExperimentConfig,
  INITS,
  INPUTS,
  type InitName,
  type InputsName,
  TASKS,
  type TaskName,
} from '../engine/config';
import { type Field, type LabSettings, choiceField } from './field-kinds';
import { CRITERION_LABEL, TASK_LABEL } from './labels';

const group = <G extends 'data' | 'model' | 'pruning'>(g: G) => ({
  set: <K extends keyof ExperimentConfig[G]>(s: LabSettings, k: K, v: ExperimentConfig[G][K]) => ({
    ...s,
    config: { ...s.config, [g]: { ...s.config[g], [k]: v } },
  }),
});

const INPUTS_LABEL: Record<InputsName, string> = {
  meanstd: '(p/255 − 0.1307) / 0.3081',
  unit: 'p/255, in [0, 1]',
  l2: 'each image a unit vector (L2)',
};

const INIT_LABEL: Record<InitName, string> = {
  glorot: 'Glorot (the paper)',
  bimodal: 'Glorot, plus dense nets drawn bimodally',
};

export const BEYOND_FIELDS: readonly Field[] = [
  choiceField({
    key: 'criterion',
    label: 'mask criterion',
    help: 'What decides which weights a round keeps. Magnitude of the trained weights is the paper’s; SNIP and SynFlow choose at initialisation, before any training (Frankle et al. 2021).',
    group: 'Pruning',
    options: CRITERIA.map((c) => ({ value: c, label: CRITERION_LABEL[c] })),
    get: (s) => s.config.pruning.criterion,
    set: (s, v) => group('pruning').set(s, 'criterion', v as CriterionName),
  }),
  choiceField({
    key: 'init',
    label: 'init',
    help: 'Bimodal: every pruned round also trains two DENSE nets whose weights are drawn from that round’s ticket survivors (as they are, and at Glorot’s variance), to compare with the dense Glorot net of round 0 on the same batches.',
    group: 'Training',
    options: INITS.map((i) => ({ value: i, label: INIT_LABEL[i] })),
    get: (s) => s.config.model.init,
    set: (s, v) => group('model').set(s, 'init', v as InitName),
  }),
  choiceField({
    key: 'task',
    label: 'task',
    help: 'Made on this device from MNIST, nothing downloaded: the same digits with their pixels in one fixed shuffled order, turned a quarter turn, or inverted.',
    group: 'Data and device',
    options: TASKS.map((t) => ({ value: t, label: TASK_LABEL[t] })),
    get: (s) => s.config.data.task,
    set: (s, v) => group('data').set(s, 'task', v as TaskName),
  }),
  choiceField({
    key: 'inputs',
    label: 'inputs',
    help: 'How a pixel byte p becomes an input. Mean/std is open_lth’s; the choice alone moves the ticket’s lead over reinit (docs/results.md).',
    group: 'Data and device',
    options: INPUTS.map((i) => ({ value: i, label: INPUTS_LABEL[i] })),
    get: (s) => s.config.data.inputs,
    set: (s, v) => group('data').set(s, 'inputs', v as InputsName),
  }),
];
