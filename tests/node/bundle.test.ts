/**
 * The fault hooks of issue 6 exist only in the test build: the production bundle, built here in
 * memory exactly as `npm run build` builds it, holds none of them, while the test build (the
 * one the browser tests drive) holds all, which proves the markers looked for are the right ones.
 */
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import { CSP, TEST_CSP } from '../../csp.config.ts';

/** Strings only the hooks carry (src/testing/): their messages and their names. */
const MARKERS = [
  'injected fault',
  'window.__lab',
  '__lab=', // the hooks' assignment, as the minified bundle writes it
  'workersStarted',
  'breakBackend',
  'killKernelThread',
  'worker-hooks',
  'page-hooks',
  'report-uri',
];

async function bundle(mode: 'production' | 'e2e'): Promise<Map<string, string>> {
  const out = (await build({
    configFile: 'vite.config.ts',
    mode,
    logLevel: 'silent',
    build: { write: false, copyPublicDir: false, emptyOutDir: false },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const files = new Map<string, string>();
  for (const o of Array.isArray(out) ? out : [out]) {
    for (const f of o.output)
      files.set(
        f.fileName,
        f.type === 'chunk'
          ? f.code
          : typeof f.source === 'string'
            ? f.source
            : new TextDecoder().decode(f.source),
      );
  }
  return files;
}

const found = (files: Map<string, string>) =>
  MARKERS.filter((m) => [...files.values()].some((text) => text.includes(m)));

describe('the production bundle', () => {
  it('has none of the fault hooks, and the test build has every one', async () => {
    const production = await bundle('production');
    const e2e = await bundle('e2e');
    expect([...production.keys()].some((f) => f.includes('lab.worker'))).toBe(true); // the worker is in what was scanned
    expect(found(production)).toEqual([]);
    expect(found(e2e).filter((m) => m !== 'report-uri')).toEqual(
      MARKERS.filter((m) => m !== 'report-uri'),
    );
  }, 120_000);

  it('carries the policy in its page, without the test build reporting directive', async () => {
    const html = (await bundle('production')).get('index.html')!;
    const attr = (policy: string) => policy.replaceAll("'", '&#39;'); // as Vite writes attributes
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${attr(CSP)}">`);
    expect(html).not.toContain(attr(TEST_CSP));
  }, 120_000);
});
