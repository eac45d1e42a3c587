/** Errors and notices on screen: the newest few, until dismissed. */

/** More than this and the oldest go: five lines are what a reader takes in. */
export const MAX_MESSAGES = 5;

export const withMessages = (list: readonly string[], added: readonly string[]): string[] =>
  [...list, ...added].slice(-MAX_MESSAGES);

export const withoutMessage = (list: readonly string[], index: number): string[] =>
  list.filter((_, i) => i !== index);
