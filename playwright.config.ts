import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, TEST_PORT, chromiumPath } from './tests/browser';

const port = TEST_PORT;

export default defineConfig({
  testDir: 'tests/e2e',
  // Generous: the slowest test takes under 2 min here; a limit only has to catch a hang, and a
  // busy CI machine runs software WebGPU and tfjs-wasm slower than this one.
  timeout: 300_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}/`,
    launchOptions: { executablePath: await chromiumPath(), args: CHROMIUM_ARGS },
    trace: 'off',
  },
  webServer: {
    // The test build (dist-e2e/: the app plus its fault hooks, `npm run test:browser` builds it),
    // with the same COOP/COEP headers as `npm start` and the reporting CSP (csp.config.ts).
    command: `npx vite preview --mode e2e --host localhost --port ${port} --strictPort`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
