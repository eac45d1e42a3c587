/**
 * True only in the test build (`vite build --mode e2e`, vite.config.ts), false everywhere else:
 * a literal after compilation, so what it guards is compiled out of the production bundle.
 */
declare const __LAB_TEST_BUILD__: boolean;
