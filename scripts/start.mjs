#!/usr/bin/env node
// `npm start` (issue 15): the lab as production serves it, for whoever runs the command users run.
// Vite's dev server cannot carry the Content-Security-Policy (its React-refresh preamble is an
// inline script), so this builds the production lab into dist/, serves it as `vite preview` does
// (COOP + COEP + the CSP header of vite.config.ts; the built page holds the <meta> too), and
// rebuilds on every source change: a reload shows the change. No type-check here, to start fast
// (`npm run build` and `npm test` type-check). `npm run dev` stays the dev server, without CSP.
//
//   node scripts/start.mjs [--port N]     (or PORT=N; default 5173, the next free one if taken)
import { build, preview } from 'vite';

const DEFAULT_PORT = 5173;

/** `--port N`, `--port=N` or PORT; an explicit port must be free (a test waits on it). */
function requestedPort(argv, env) {
  const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
  const raw = i < 0 ? env.PORT : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  if (raw === undefined || raw === '') return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`start: --port wants a port number (1-65535), got ${JSON.stringify(raw)}`);
  return port;
}

const port = requestedPort(process.argv.slice(2), process.env);
const started = Date.now();

// The watcher reports each build; the first one must succeed before anything is served.
const watcher = await build({ logLevel: 'warn', build: { watch: {} } });
let resolveFirst;
const firstBuild = new Promise((resolve) => (resolveFirst = resolve));
let built = false;
let failed = false;
let rebuildStart = 0;
// Each build is START … END, with an ERROR between when it fails (dist/ is then left as it was).
watcher.on('event', (event) => {
  if (event.code === 'START') {
    rebuildStart = Date.now();
    failed = false;
  } else if (event.code === 'ERROR') {
    failed = true;
    if (!built) resolveFirst(false);
    else console.log('the rebuild failed (above): the last build is still served');
  } else if (event.code === 'END' && !failed) {
    if (!built) resolveFirst(true);
    else console.log(`rebuilt in ${Date.now() - rebuildStart} ms: reload the page to see it`);
    built = true;
  }
});
if (!(await firstBuild)) {
  await watcher.close();
  process.exit(1);
}

const server = await preview({
  preview: { host: 'localhost', port: port ?? DEFAULT_PORT, strictPort: port !== null },
});
const url = server.resolvedUrls?.local[0];
console.log(
  `\n  the lab (built in ${((Date.now() - started) / 1000).toFixed(1)} s, served with the production Content-Security-Policy):`,
);
console.log(`\n  ➜  ${url}\n`);
console.log('  it rebuilds when a source file changes (reload the page); Ctrl-C ends it\n');

// One process holds the watcher and the server: closing both ends it, nothing is left behind.
let closing = false;
async function stop() {
  if (closing) return;
  closing = true;
  await Promise.allSettled([watcher.close(), server.close()]);
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);
