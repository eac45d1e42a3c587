/**
 * While a worker trains a run it holds a Web Lock of this name; a page that finds a run marked
 * 'running' with nobody holding its lock knows the run was interrupted (a reload, a closed tab,
 * a crashed worker). Its own module so that the page need not load the handler (and tfjs).
 */
export const runLockName = (runId: string) => `lottery-ticket-lab:run:${runId}`;

/**
 * A lab worker holds this lock for its whole life (issue 6), so the page that started it is
 * granted it the moment the worker dies, however it dies: a crash, terminate(), the browser
 * ending it for lack of memory. `workerName` is the name the page gave the Worker.
 */
export const workerLockName = (workerName: string) => `lottery-ticket-lab:worker:${workerName}`;
