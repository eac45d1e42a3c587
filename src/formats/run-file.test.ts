import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from './errors';
import { formatError, tinyRunFile } from './formats.testing';
import { ENGINE_VERSION } from '../engine/config';
import { type RunFile, decodeRunFile, encodeRunFile } from './run-file';

/** A run file as version 1 wrote it: one trial's rounds, no trials in the config, no summary. */
function version1(run: RunFile) {
  const { trials: _trials, ...training } = run.config.training;
  return {
    format: run.format,
    version: 1,
    name: run.name,
    createdAt: run.createdAt,
    backend: run.backend,
    config: { ...run.config, training },
    wallMs: run.wallMs,
    rounds: (JSON.parse(encodeRunFile(run)) as { rounds: Record<string, Json>[] }).rounds.map(
      ({ trials, summary: _summary, ...r }) => {
        const { variants, wallMs, examplesPerSecond } = (trials as Record<string, Json>[])[0]!;
        return {
          ...r,
          variants: variants!,
          wallMs: wallMs!,
          examplesPerSecond: examplesPerSecond!,
        };
      },
    ),
  };
}

const TEXT = encodeRunFile(tinyRunFile());
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Every path in a JSON value, as the reader names them ("rounds[1].trials[0].variants[0].curve"), with its
 * value.
 */
function paths(v: Json, path = ''): [string, Json][] {
  const here: [string, Json][] = path ? [[path, v]] : [];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => paths(x, `${path}[${i}]`))];
  if (v !== null && typeof v === 'object')
    return [...here, ...Object.entries(v).flatMap(([k, x]) => paths(x, path ? `${path}.${k}` : k))];
  return here;
}

/** A copy of `root` with the value at `path` replaced (or deleted, for undefined). */
function replaced(root: Json, path: string, value: Json | undefined): Json {
  const copy = structuredClone(root);
  const keys = path.match(/[^.[\]]+/g)!;
  let at = copy as Record<string, Json>;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, Json>;
  const last = keys.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(at)) at.splice(Number(last), 1);
    else delete at[last];
  } else at[last] = value;
  return copy;
}

const PATHS = paths(JSON.parse(TEXT) as Json);
/** Fields the format lets hold null besides those that do (shard, sd): what trained the run. */
const NULLABLE = /^engine$/;
const wrongTypes = (v: Json): Json[] => {
  if (typeof v === 'number') return ['x', null, true, {}, []];
  if (typeof v === 'string') return [5, null, {}, []];
  if (Array.isArray(v)) return ['x', 5, {}, null];
  return ['x', 5, [], null];
};

describe('run files', () => {
  it('round-trip: decode(encode(run)) equals the run, and re-encoding gives the same text', () => {
    const run = tinyRunFile();
    expect(TEXT.endsWith('}\n')).toBe(true);
    const back = decodeRunFile(TEXT);
    expect(back).toEqual(run);
    expect(encodeRunFile(back)).toBe(TEXT);
    expect(Object.keys(JSON.parse(TEXT))).toEqual([
      'format',
      'version',
      'name',
      'createdAt',
      'backend',
      'engine',
      'config',
      'configHash',
      'shard',
      'wallMs',
      'rounds',
    ]);
    expect(back.engine).toBe(ENGINE_VERSION);
  });

  it('reads a version 1 file, as the lab wrote them before trials, as a one-trial run', () => {
    const v1 = version1(tinyRunFile());
    const run = decodeRunFile(JSON.stringify(v1));
    expect(run).toEqual({ ...tinyRunFile(), engine: null });
    expect(run.config.training.trials).toBe(1);
    // Written again as version 2, every variant's fields are as version 1 wrote them.
    const again = JSON.parse(encodeRunFile(run)) as { rounds: { trials: { variants: Json }[] }[] };
    again.rounds.forEach((r, i) => {
      expect(r.trials).toHaveLength(1);
      expect(r.trials[0]!.variants).toEqual(v1.rounds[i]!.variants);
    });
  });

  it('reads the recorded lecture run the app ships (version 1), and keeps its numbers as they were', () => {
    // The file's shape is the format (docs/file-formats.md), whatever the engine's types become:
    // the early stop, one group in memory, stays three flat fields in the file.
    const text = readFileSync(
      new URL('../../docs/results/lecture-seed0.json', import.meta.url),
      'utf8',
    );
    const file = JSON.parse(text) as { version: number; rounds: { variants: Json }[] };
    expect(file.version).toBe(1);
    const run = decodeRunFile(text);
    expect(run.rounds[12]!.trials[0]!.variants[0]!.earlyStop.iteration).toBeGreaterThan(0);
    const written = JSON.parse(encodeRunFile(run)) as {
      rounds: { trials: { variants: Json }[] }[];
    };
    written.rounds.forEach((r, i) =>
      expect(r.trials[0]!.variants).toEqual(file.rounds[i]!.variants),
    );
    expect(decodeRunFile(encodeRunFile(run))).toEqual(run);
  });

  it('writes the format and version whatever it is given, and drops fields it does not know', () => {
    const run = { ...tinyRunFile(), format: 'something else', extra: 1 } as unknown as RunFile;
    const text = encodeRunFile(run);
    expect(text).toBe(TEXT);
    const withExtra = JSON.stringify({
      ...JSON.parse(TEXT),
      extra: [1, 2],
      rounds: JSON.parse(TEXT).rounds.map((r: object) => ({ ...r, note: 'x' })),
    });
    expect(decodeRunFile(withExtra)).toEqual(tinyRunFile());
  });

  it('names the version and the format', () => {
    const file = JSON.parse(TEXT);
    expect(formatError(() => decodeRunFile(JSON.stringify({ ...file, version: 3 })))).toBe(
      'This run file is format version 3; this lab reads versions 1 and 2 (a newer lab wrote it).',
    );
    expect(formatError(() => decodeRunFile(JSON.stringify({ ...file, version: 0 })))).toBe(
      'This run file is format version 0; this lab reads versions 1 and 2.',
    );
    expect(
      formatError(() =>
        decodeRunFile(JSON.stringify({ ...file, format: 'lottery-ticket-lab.ticket' })),
      ),
    ).toBe(
      'Not a run file (its format is "lottery-ticket-lab.ticket", expected "lottery-ticket-lab.run").',
    );
    expect(formatError(() => decodeRunFile('[1, 2]'))).toBe(
      'Not a run file (it is not a JSON object).',
    );
    expect(formatError(() => decodeRunFile(''))).toBe(
      'This run file is not valid JSON (is it truncated?).',
    );
  });

  it('refuses wrong values with the JSON path of the problem', () => {
    const bad = (path: string, value: Json | undefined) =>
      formatError(() =>
        decodeRunFile(JSON.stringify(replaced(JSON.parse(TEXT) as Json, path, value))),
      );
    expect(bad('rounds[2].trials[0].variants[1].curve[1].testAccuracy', 'x')).toBe(
      'This run file is invalid: rounds[2].trials[0].variants[1].curve[1].testAccuracy must be a number in [0, 1], got "x".',
    );
    expect(bad('rounds[1].trials[0].variants[0].curve[0].validationLoss', -0.5)).toBe(
      'This run file is invalid: rounds[1].trials[0].variants[0].curve[0].validationLoss must be a finite number ≥ 0, got -0.5.',
    );
    expect(bad('rounds[1].trials[0].variants[0].curve[2].iteration', 10)).toMatch(
      /rounds\[1\]\.trials\[0\]\.variants\[0\]\.curve\[2\]\.iteration must be an iteration after 10 \(points in order\), got 10/,
    );
    expect(bad('rounds[1].trials[0].variants[0].curve[2].iteration', 21)).toMatch(
      /curve\[2\]\.iteration must be an integer in \[0, 20\], got 21/,
    );
    expect(bad('rounds[0].trials[0].variants[0].curve', [])).toMatch(
      /rounds\[0\]\.trials\[0\]\.variants\[0\]\.curve must be a list of 1 to 10000 curve points/,
    );
    expect(bad('rounds[1].trials[0].variants[2]', undefined)).toMatch(
      /^This run file is invalid: rounds\[1\]\.trials\[0\]\.variants must be a list of the 3 variants of round 1 \(ticket, reinit, random\), got \[\{"variant"/,
    );
    expect(bad('rounds[1].trials[0].variants[1].variant', 'random')).toMatch(
      /rounds\[1\]\.trials\[0\]\.variants\[1\]\.variant must be "reinit", got "random"/,
    );
    expect(bad('rounds[1].round', 2)).toMatch(
      /rounds\[1\]\.round must be 1 \(rounds listed in order, one after another\), got 2/,
    );
    // A run that trained an imported ticket starts at the ticket's round, within the config's
    // rounds.
    const fromRound1 = JSON.parse(TEXT) as { rounds: unknown[] };
    fromRound1.rounds.shift();
    expect(decodeRunFile(JSON.stringify(fromRound1)).rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(bad('rounds[0].round', 3)).toMatch(
      /rounds\[0\]\.round must be an integer in \[0, 2\], got 3/,
    );
    expect(bad('rounds[1].trials[0].variants[0].earlyStopIteration', 2.5)).toMatch(
      /earlyStopIteration must be an integer in \[0, 20\], got 2\.5/,
    );
    expect(bad('rounds[1].remainingByLayer[2]', undefined)).toMatch(
      /rounds\[1\]\.remainingByLayer must be a list of 3 numbers/,
    );
    expect(bad('rounds[1].trials[0].variants[0].histograms[1].all.counts[39]', undefined)).toMatch(
      /histograms\[1\]\.all\.counts must be a list of 40 numbers/,
    );
    expect(bad('rounds[1].trials[0].variants[0].histograms[1].all.edges[3]', -100)).toMatch(
      /histograms\[1\]\.all\.edges\[3\] must be a number above/,
    );
    expect(bad('rounds[1].trials[0].variants[0].histograms[1].surviving.counts[0]', 1.5)).toMatch(
      /surviving\.counts\[0\] must be an integer in \[0, 128\], got 1\.5/,
    );
    const all = tinyRunFile().rounds[1]!.trials[0]!.variants[0]!.histograms[1]!.all;
    const fewerBins = { edges: all.edges.slice(0, 40), counts: all.counts.slice(0, 39) };
    expect(bad('rounds[1].trials[0].variants[0].histograms[1].surviving', fewerBins)).toMatch(
      /histograms\[1\]\.surviving\.edges must be a list of 41 numbers/,
    );
    expect(
      bad('rounds[1].trials[0].variants[0].histograms[1].all.edges[3]', all.edges[2]!),
    ).toMatch(/all\.edges\[3\] must be a number above/);
    expect(bad('rounds[1].trials[0].variants[0].histograms[1].layer', 0)).toMatch(
      /histograms\[1\]\.layer must be 1, got 0/,
    );
    expect(bad('rounds[1].trials[0].variants[0].pixelSurvivors[783]', undefined)).toMatch(
      /pixelSurvivors must be a list of 784 numbers/,
    );
    expect(bad('rounds[1].trials[0].variants[0].pixelSurvivors[5]', 17)).toMatch(
      /pixelSurvivors\[5\] must be an integer in \[0, 16\], got 17/,
    );
    expect(bad('config.model.layers[0]', 100)).toMatch(
      /^This run file is invalid: config\.model\.layers\[0\] must be 784/,
    );
    expect(bad('config.training.iterations', 0)).toMatch(
      /config\.training\.iterations must be an integer in \[1, 1000000\], got 0/,
    );
    expect(bad('config.pruning.rounds', 1)).toMatch(
      /^This run file is invalid: rounds must be a list of 1 to 2 rounds/,
    );
    expect(bad('createdAt', '31/01/2025')).toMatch(/createdAt must be an ISO date/);
    expect(
      formatError(() => decodeRunFile(TEXT.replace('"wallMs":4000,', '"wallMs":1e400,'))),
    ).toBe('This run file is invalid: wallMs must be a finite number ≥ 0, got Infinity.');
  });

  it('refuses what it could not read back when writing', () => {
    const run = tinyRunFile();
    run.rounds[0]!.trials[0]!.variants[0]!.curve[1]!.trainLoss = NaN;
    expect(formatError(() => encodeRunFile(run))).toBe(
      'Cannot write this run file: rounds[0].trials[0].variants[0].curve[1].trainLoss must be a finite number ≥ 0, got NaN.',
    );
  });

  it('refuses a text over 64 MB before parsing it', () => {
    expect(formatError(() => decodeRunFile(' '.repeat(64 * 1024 * 1024 + 1)))).toBe(
      'This run file is too large: 64.0 MB, this lab reads at most 64 MB.',
    );
  });
});

describe('run files, fuzzed', () => {
  it('refuses every truncation with FormatError', () => {
    const body = TEXT.trimEnd();
    fc.assert(
      fc.property(fc.nat({ max: body.length - 1 }), (n) => {
        expect(formatError(() => decodeRunFile(body.slice(0, n)))).toMatch(/not valid JSON/);
      }),
    );
  });

  it('names the path of any value replaced by one of the wrong type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), fc.nat(), ([path, value], pick) => {
        // What a field may also hold is no wrong value: null where the format allows it.
        const wrong = wrongTypes(value).filter(
          (w) => w !== value && !(w === null && NULLABLE.test(path)),
        );
        const text = JSON.stringify(
          replaced(JSON.parse(TEXT) as Json, path, wrong[pick % wrong.length]!),
        );
        expect(formatError(() => decodeRunFile(text))).toContain(path);
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but FormatError for any value put anywhere, any key deleted, any JSON or text', () => {
    const root = JSON.parse(TEXT) as Json;
    const decodes = (text: string) => {
      try {
        decodeRunFile(text);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
      }
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...PATHS),
        fc.option(fc.jsonValue() as fc.Arbitrary<Json>, { nil: undefined }),
        ([path], value) => {
          decodes(JSON.stringify(replaced(root, path, value)));
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(fc.property(fc.json(), decodes));
    fc.assert(fc.property(fc.string(), decodes));
    decodes(
      JSON.stringify(
        replaced(root, 'rounds[0].trials[0].variants[0].curve[0].iteration', { toString: 1 }),
      ),
    );
    decodes(JSON.stringify(replaced(root, 'config.training.seed', { toString: 1, valueOf: 2 })));
    decodes(JSON.stringify(replaced(root, 'config.data', '['.repeat(100_000) as Json)));
    decodes(
      `{"format":"lottery-ticket-lab.run","version":1,"config":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    );
  });
});
