/// <reference lib="webworker" />
/**
 * The lab's worker entry: decode a command, hand it to the handler, post its events with their
 * typed arrays transferred. Everything else lives in handler.ts (tested in Node).
 */
import { initBackend } from './backends';
import { LabHandler } from './handler';
import { loadMnist } from './mnist-source';
import { isCommand, transferables } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

// A MessageChannel round trip is a macrotask without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();

const handler = new LabHandler({
  post: (event) => self.postMessage(event, transferables(event)),
  initBackend,
  loadData: loadMnist,
  now: () => performance.now(),
  yieldToEvents: () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    }),
});

self.onmessage = (e: MessageEvent<unknown>) => {
  if (isCommand(e.data)) handler.handle(e.data);
  else self.postMessage({ type: 'error', message: `the worker got a message it does not know: ${JSON.stringify(e.data)?.slice(0, 100)}` });
};
