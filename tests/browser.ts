/**
 * Which Chromium the browser tests and the benchmark drive. No download at test time: the
 * `@sparticuz/chromium` npm package ships one (npm install is enough); CHROMIUM_PATH or
 * Debian's /usr/bin/chromium are used instead when set or present.
 */
import { existsSync } from 'node:fs';

/**
 * Where the browser tests serve the built app; LAB_TEST_PORT lets two checkouts test side by side.
 */
export const TEST_PORT = Number(process.env.LAB_TEST_PORT ?? 4173);
export const TEST_ORIGIN = `http://localhost:${TEST_PORT}`;

export async function chromiumPath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    return await chromium.executablePath();
  } catch (e) {
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
    throw new Error(
      'no Chromium found: install @sparticuz/chromium (npm install) or set CHROMIUM_PATH',
      { cause: e },
    );
  }
}

/** WebGPU needs --enable-unsafe-webgpu headless; the rest keeps Chromium off the network. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
