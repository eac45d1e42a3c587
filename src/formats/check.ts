/**
 * Reading JSON of unknown shape, one step at a time, each step knowing its JSON path: a problem
 * is reported where it is ("rounds[3].variants[0].curve[12].testAccuracy must be a number in
 * [0, 1], got \"x\""). Readers build fresh objects of the known fields only, in a fixed order, so
 * what they return is clean and serialises the same way every time. Shared by the ticket header
 * and the run file.
 */
import {
  type ExperimentConfig,
  ConfigError,
  DEFAULT_CONFIG,
  validateConfig,
} from '../engine/config';
import type { CurvePoint, EarlyStop } from '../engine/metrics';

/** A value that does not fit the schema; the decoders turn it into a FormatError. */
export class SchemaProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaProblem';
  }
}

/** A short, printable form of a value for a message (never throws, whatever the value). */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  let s: string;
  try {
    s = JSON.stringify(v) ?? typeof v;
  } catch {
    s = typeof v; // cycles, bigints, nesting too deep for the stack
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** The longest name, backend or author line a ticket or run file holds. */
export const MAX_LABEL = 200;

/** A label cut to what the files hold, marked where it was cut. */
export const clipLabel = (s: string, max = MAX_LABEL): string =>
  s.length <= max ? s : `${s.slice(0, max - 1)}…`;

const range = (min: number, max: number) => {
  if (max !== Infinity) return ` in [${min}, ${max}]`;
  return min === -Infinity ? '' : ` ≥ ${min}`;
};

/** One value of a JSON document and where it sits. */
export class Val {
  constructor(
    readonly value: unknown,
    readonly path: string,
  ) {}

  fail(expected: string): never {
    throw new SchemaProblem(
      `${this.path || 'the file'} must be ${expected}, got ${show(this.value)}`,
    );
  }

  /** Any JavaScript number (ranges are someone else's check, e.g. validateConfig's). */
  number(): number {
    return typeof this.value === 'number' ? this.value : this.fail('a number');
  }

  /** A finite number in [min, max]. */
  num(min: number, max: number): number {
    const v = this.value;
    return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? v
      : this.fail(`${max === Infinity ? 'a finite' : 'a'} number${range(min, max)}`);
  }

  int(min: number, max: number): number {
    const v = this.value;
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? v
      : this.fail(`an integer${range(min, max)}`);
  }

  string(maxLength = 1000): string {
    const v = this.value;
    return typeof v === 'string' && v.length <= maxLength
      ? v
      : this.fail(`a string of at most ${maxLength} characters`);
  }

  oneOf<T extends string | number>(options: readonly T[]): T {
    const found = options.find((o) => o === this.value);
    return found !== undefined
      ? found
      : this.fail(options.map((o) => JSON.stringify(o)).join(' or '));
  }

  /** An ISO 8601 date and time, as `Date.prototype.toISOString` writes it (offsets allowed). */
  isoDate(): string {
    const v = this.value;
    const ok =
      typeof v === 'string' &&
      /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/.test(v) &&
      Number.isFinite(Date.parse(v));
    return ok ? v : this.fail('an ISO date such as "2025-01-31T12:00:00.000Z"');
  }

  obj(): Obj {
    const v = this.value;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? new Obj(v as Record<string, unknown>, this.path)
      : this.fail('an object');
  }

  arr(
    minLength: number,
    maxLength: number,
    what = `a list of ${minLength === maxLength ? minLength : `${minLength} to ${maxLength}`} entries`,
  ): Val[] {
    const v = this.value;
    if (!Array.isArray(v) || v.length < minLength || v.length > maxLength) return this.fail(what);
    return v.map((x, i) => new Val(x, `${this.path}[${i}]`));
  }

  /** A list of finite numbers in [min, max] (integers if `integer`), read without a Val each. */
  nums(min: number, max: number, minLength: number, maxLength: number, integer = false): number[] {
    const v = this.value;
    if (!Array.isArray(v) || v.length < minLength || v.length > maxLength) {
      return this.fail(
        `a list of ${minLength === maxLength ? minLength : `${minLength} to ${maxLength}`} numbers`,
      );
    }
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const item = new Val(x, `${this.path}[${i}]`);
      out.push(integer ? item.int(min, max) : item.num(min, max));
    }
    return out;
  }
}

/** A JSON object; `at` reads own fields only, so `__proto__` and friends are just absent fields. */
export class Obj {
  constructor(
    readonly fields: Record<string, unknown>,
    readonly path: string,
  ) {}

  has(key: string): boolean {
    return Object.hasOwn(this.fields, key);
  }

  at(key: string): Val {
    return new Val(
      Object.hasOwn(this.fields, key) ? this.fields[key] : undefined,
      this.path ? `${this.path}.${key}` : key,
    );
  }
}

/**
 * An ExperimentConfig: the types here, with paths; the ranges and the cross-field rules by the
 * engine's own validateConfig, whose problems come back under this value's path.
 */
export function readConfig(v: Val): ExperimentConfig {
  const o = v.obj();
  const data = o.at('data').obj();
  const model = o.at('model').obj();
  const training = o.at('training').obj();
  const pruning = o.at('pruning').obj();
  const reset = pruning.at('reset').obj();
  const kind = reset.at('kind').string(20);
  // Settings added after a file was written (issue 16) read as their defaults.
  const later = <T>(o: Obj, key: string, fallback: T): T | string =>
    o.has(key) ? o.at(key).string(40) : fallback;
  const config = {
    data: {
      trainSize: data.at('trainSize').number(),
      validationSize: data.at('validationSize').number(),
      testSize: data.at('testSize').number(),
      task: later(data, 'task', DEFAULT_CONFIG.data.task),
      inputs: later(data, 'inputs', DEFAULT_CONFIG.data.inputs),
    },
    model: {
      layers: model
        .at('layers')
        .arr(0, 64)
        .map((w) => w.number()),
      init: later(model, 'init', DEFAULT_CONFIG.model.init),
    },
    training: {
      learningRate: training.at('learningRate').number(),
      batchSize: training.at('batchSize').number(),
      iterations: training.at('iterations').number(),
      evalEvery: training.at('evalEvery').number(),
      seed: training.at('seed').number(),
      // Files written before trials existed (run file and ticket version 1) ran one trial.
      trials: training.has('trials') ? training.at('trials').number() : 1,
    },
    pruning: {
      scope: pruning.at('scope').string(20),
      rate: pruning.at('rate').number(),
      outputRate: pruning.at('outputRate').number(),
      rounds: pruning.at('rounds').number(),
      method: pruning.at('method').string(20),
      reset: kind === 'rewind' ? { kind, iteration: reset.at('iteration').number() } : { kind },
      controls: pruning
        .at('controls')
        .arr(0, 16)
        .map((c) => c.string(20)),
      criterion: later(pruning, 'criterion', DEFAULT_CONFIG.pruning.criterion),
      // A transferred ticket's run names the task its masks were found on; null: its own.
      foundOn:
        pruning.has('foundOn') && pruning.at('foundOn').value !== null
          ? pruning.at('foundOn').string(40)
          : null,
    },
  } as ExperimentConfig;
  try {
    return validateConfig(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const under = (p: string) =>
      v.path ? p.replace(/^(data|model|training|pruning)\./, `${v.path}.$1.`) : p;
    throw new SchemaProblem(e.problems.map(under).join('; '));
  }
}

/** Most evaluations one curve may hold: 10,000 (a million iterations evaluated every 100). */
export const MAX_CURVE_POINTS = 10_000;

/**
 * A variant's curve: iterations strictly ascending within [0, iterations], losses ≥ 0, accuracies
 * in [0, 1].
 */
export function readCurve(v: Val, iterations: number): CurvePoint[] {
  const points = v.arr(1, MAX_CURVE_POINTS, `a list of 1 to ${MAX_CURVE_POINTS} curve points`);
  let last = -1;
  return points.map((p) => {
    const o = p.obj();
    const it = o.at('iteration');
    const iteration = it.int(0, iterations);
    if (iteration <= last) it.fail(`an iteration after ${last} (points in order)`);
    last = iteration;
    return {
      iteration,
      trainLoss: o.at('trainLoss').num(0, Infinity),
      validationLoss: o.at('validationLoss').num(0, Infinity),
      validationAccuracy: o.at('validationAccuracy').num(0, 1),
      testAccuracy: o.at('testAccuracy').num(0, 1),
    };
  });
}

/**
 * The early stop as the files write it: three flat fields beside the rest of a result (run file
 * version 1, ticket version 1). Read and written here only, so both formats stay as they were.
 */
export function readEarlyStop(o: Obj, iterations: number): EarlyStop {
  // Read in the files' order, so a file with several bad fields names the first of them.
  const iteration = o.at('earlyStopIteration').int(0, iterations);
  const testAccuracy = o.at('earlyStopTestAccuracy').num(0, 1);
  const validationAccuracy = o.at('earlyStopValidationAccuracy').num(0, 1);
  return { iteration, validationAccuracy, testAccuracy };
}

export function earlyStopFields(e: EarlyStop) {
  return {
    earlyStopIteration: e.iteration,
    earlyStopTestAccuracy: e.testAccuracy,
    earlyStopValidationAccuracy: e.validationAccuracy,
  };
}
