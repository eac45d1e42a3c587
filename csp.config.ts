/**
 * The Content-Security-Policy of the built app (issue 6), shared by vite.config.ts (which serves
 * and injects it) and the browser tests (which hold the app to it).
 *
 * Only the app's own scripts, workers, data and wasm. 'wasm-unsafe-eval' lets WebAssembly compile
 * (the wasm backend) without allowing eval; blob: workers are tfjs-wasm's thread workers; data:
 * and blob: images are the figure exports; inline styles are React's style attributes (positions
 * and colours of chart elements). Nothing may connect out or post a form.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The test build reports every violation to this path on the app's own origin, where the tests'
 * guard collects it (tests/e2e/fixtures.ts): a request the policy blocks never reaches the
 * network, so only its report can tell. Reports need the header (a <meta> policy cannot carry
 * report-uri), so only the served policy has it.
 */
export const CSP_REPORT_PATH = '/__csp-report';
export const TEST_CSP = `${CSP}; report-uri ${CSP_REPORT_PATH}`;
