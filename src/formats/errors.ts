/**
 * The one error the file formats throw (issue 4): a file that cannot be read, or a value that
 * cannot be written, with a message a user can act on ("This ticket file is truncated: 8,192 of
 * 113,644 bytes."). Readers throw nothing else, whatever the bytes.
 */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

/** A count for a message, grouped the way the interface prints counts: 113,644. */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** Numbers for a message: all of a few, the first `most` of many and how many more. */
export function numberList(xs: readonly number[], most = 10): string {
  return xs.length <= most
    ? xs.join(', ')
    : `${xs.slice(0, most).join(', ')} and ${xs.length - most} more`;
}

/** The message for a file of another format version, newer or older. */
export function versionMessage(what: string, found: number, reads: number): string {
  const hint = found > reads ? ' (a newer lab wrote it)' : ' (an older format)';
  return `This ${what} is format version ${found}; this lab reads version ${reads}${hint}.`;
}
