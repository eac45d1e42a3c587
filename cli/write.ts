/** Files the CLI writes, written whole or not at all. */
import { renameSync, writeFileSync } from 'node:fs';

/** Writes `data` to `file` whole or not at all: a reader never finds half a run file. */
export function writeWhole(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
