/**
 * Linear memory as a stack of regions: a session's data below, a round's model above it. Each
 * owner marks where it starts and releases back to its mark when it is done, so a long session
 * reuses the same bytes round after round instead of growing. The memory only grows.
 */
import { HEAP_BASE, type KernelMemory, PAGE } from './abi';

const ALIGN = 64;

export class Arena {
  private top = HEAP_BASE;

  constructor(readonly memory: KernelMemory) {}

  /** Bytes in use, from the start of the heap. */
  get used(): number {
    return this.top - HEAP_BASE;
  }

  /** A fresh 64-byte-aligned region of `bytes`, zero-filled. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0)
      throw new RangeError(`cannot allocate ${bytes} bytes`);
    const at = this.top;
    const end = at + Math.ceil(bytes / ALIGN) * ALIGN;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    // Regions are reused after a release: zero them, as a fresh allocation would be.
    new Uint8Array(this.memory.buffer, at, end - at).fill(0);
    this.top = end;
    return at;
  }

  /** Where the next allocation would start; `release(mark)` frees everything above it. */
  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    if (mark < HEAP_BASE || mark > this.top)
      throw new RangeError(`release to ${mark}, outside the arena`);
    this.top = mark;
  }

  // Views are made afresh at each use: growing a non-shared memory detaches its old buffer.
  f32(at: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, length);
  }

  f64(at: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, at, length);
  }

  u32(at: number, length: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, at, length);
  }

  u8(at: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, at, length);
  }
}
