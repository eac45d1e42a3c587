/**
 * While a worker trains a run it holds a Web Lock of this name; a page that finds a run marked
 * 'running' with nobody holding its lock knows the run was interrupted (a reload, a closed tab,
 * a crashed worker). Its own module so that the page need not load the handler (and tfjs).
 */
export const runLockName = (runId: string) => `lottery-ticket-lab:run:${runId}`;
