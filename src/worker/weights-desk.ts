/**
 * Where the worker answers questions about kept weights (issue 16): the drawing pad's `classify`
 * and the supermask slider's `supermask`. It keeps trial 0's weights as rounds end
 * (WeightsKeeper) and evaluates the slider's masks on the run's own compute, never beside a round
 * in flight: the kernels hold one trainer at a time, and a run's numbers must not depend on
 * whether anyone moved the slider.
 *
 * - While a round trains, a slider request waits and is answered as soon as the round ends
 *   (`when: 'betweenRounds'`), on the run's session between two rounds; a later request replaces
 *   a waiting one, so a drag costs one evaluation per round, the latest value's.
 * - With no run training (paused between rounds counts as between rounds), it is answered at once
 *   (`'idle'`), in a session of its own holding only the test images.
 */
import type { Compute, ComputeSession } from '../engine/compute';
import type { TrainedRound } from '../engine/experiment';
import type { TrialsObserver } from '../engine/lockstep';
import { checkPm } from '../engine/supermask';
import { classify } from './classify';
import type { ExperimentConfig } from '../engine/config';
import type { Split } from '../engine/data';
import { evalChunkOf } from './backend-keeper';
import type { StartedBackend } from './backends';
import type { BackendChoice, Command, LabEvent, SupermaskPoint } from './protocol';
import type { RunStore } from './run-plan';
import { errorMessage } from './protocol';
import { MagnitudeRanking } from '../engine/supermask-ranking';
import type { Params } from '../engine/init';
import {
  type SupermaskSource,
  Superseded,
  previews,
  supermaskPoint,
  testSession,
} from './supermask-eval';
import { type KeptRun, WeightsKeeper } from './weights-keeper';

type SupermaskCommand = Extract<Command, { type: 'supermask' }>;

/**
 * The P_m the slider's figure starts with, computed once the dense round has trained (answered
 * with requestId 0): 100% down to 2%, about the run's schedule's spacing.
 */
export const SWEEP_PMS = [1, 0.64, 0.41, 0.21, 0.11, 0.05, 0.02] as const;

export interface DeskDeps {
  post(e: LabEvent): void;
  now(): number;
  /** The run history (null: unavailable), the test images of a config, a started backend. */
  openHistory(): Promise<RunStore | null>;
  loadTest(config: ExperimentConfig): Promise<Split>;
  start(choice: BackendChoice): Promise<StartedBackend>;
  /** Queues work for when no run trains (BetweenRuns: after a device timing, before a run). */
  queueIdle(work: () => Promise<void>): void;
}

const sweepCommands = (): SupermaskCommand[] =>
  SWEEP_PMS.map((pm) => ({ type: 'supermask', requestId: 0, pm }));

export class WeightsDesk {
  readonly keeper = new WeightsKeeper();
  private pending: SupermaskCommand | null = null;
  /** The starting sweep's points still to compute, after any request of the user's. */
  private sweep: SupermaskCommand[] = [];
  private current: Promise<void> | null = null;
  /** The run's session (null: no run holds the worker) and whether a round of it is in flight. */
  private session: ComputeSession | null = null;
  private inRound = false;
  private running = false;
  /** The last run's compute, for answering while no run trains. */
  private idleCompute: { compute: Compute; evalChunk: number } | null = null;
  /** The dense net's weights ranked by |w| (a mask at any P_m is a prefix of it). */
  private ranked: { dense: Params; ranking: MagnitudeRanking } | null = null;

  constructor(private readonly deps: DeskDeps) {}

  handle(cmd: Extract<Command, { type: 'classify' | 'supermask' | 'openWeights' }>): void {
    if (cmd.type === 'classify') return this.deps.post(classify(this.keeper, cmd));
    if (cmd.type === 'openWeights') {
      // A run training owns the figures: the stored run on screen is the one it writes.
      if (!this.running) this.deps.queueIdle(() => this.open(cmd.runId, cmd.backend));
      return;
    }
    try {
      checkPm(cmd.pm);
    } catch (e) {
      return this.refuse(cmd, errorMessage(e));
    }
    this.pending = cmd;
    if (cmd.sweep) this.sweep = sweepCommands();
    this.pump();
  }

  /**
   * A run is about to start (before it waits for the idle queue): from now on requests wait for
   * its rounds' ends and a stored run's weights are not opened, so nothing opens a session on
   * the kernels the run is about to take, and nothing replaces the keeper under it.
   */
  runStarting(): void {
    this.running = true;
    this.session = null;
  }

  /**
   * A run starts: its θ0, test images and compute; the last run's weights are forgotten. A stored
   * run that goes on gets its earlier rounds' weights (the dense net's, say) from the history
   * first, so the page is told once what the run holds.
   */
  async runBegins(
    run: KeptRun,
    backend: StartedBackend,
    stored: { history: RunStore; runId: string } | null,
  ): Promise<void> {
    this.keeper.begin(run);
    this.sweep = [];
    this.running = true;
    this.backendChanged(backend);
    const earlier = stored && (await stored.history.keptWeights(stored.runId).catch(() => null));
    for (const r of earlier?.rounds ?? []) if (!this.keeper.round(r.round)) this.keeper.add(r);
    this.kept();
  }

  /** The run moved to another backend (issue 6): answers there from now on. */
  backendChanged(backend: StartedBackend): void {
    this.idleCompute = { compute: backend.compute, evalChunk: evalChunkOf(backend) };
  }

  /** `compute`, remembering the session a TrialSet opens on it: the slider borrows it between rounds. */
  capture(compute: Compute): Compute {
    return {
      get name() {
        return compute.name;
      },
      ownBatches: compute.ownBatches,
      open: (...a) => (this.session = compute.open(...a)),
      roundTrip: (arrays) => compute.roundTrip(arrays),
    };
  }

  /** The run's observer, keeping trial 0's weights as each round ends. */
  observe(o: TrialsObserver): TrialsObserver {
    return {
      ...o,
      variantsTrained: (trial: number, t: TrainedRound) => {
        this.keeper.keep(trial, t);
        o.variantsTrained?.(trial, t);
        if (trial === 0) this.kept();
      },
    };
  }

  /** Before a round: holds the session, once an evaluation borrowing it has finished. */
  async roundBegins(): Promise<void> {
    // Held first: nothing new starts while the round waits, however fast the slider moves.
    this.inRound = true;
    while (this.current) await this.current;
  }

  /** After a round (or a failed one): a waiting request is answered now. */
  roundEnded(): void {
    this.inRound = false;
    this.pump();
  }

  /** The run is over: its session is gone; what waits is answered on a session of its own. */
  runEnded(): void {
    this.session = null;
    this.running = false;
    this.inRound = false;
    this.pump();
  }

  /** A stored run's weights into the keeper, from the run history; why none, in words. */
  private async open(runId: string, choice: BackendChoice): Promise<void> {
    try {
      const history = await this.deps.openHistory();
      const meta = await history?.get(runId);
      if (!history || !meta) throw new Error('the run history cannot be read');
      const { theta0, rounds } = await history.keptWeights(runId);
      if (!theta0 || rounds.length === 0) {
        this.keeper.forget(
          meta.origin === 'lab'
            ? 'this run was stored before the lab kept trained weights'
            : 'a run imported from a file holds results, not trained weights',
        );
      } else {
        const test = await this.deps.loadTest(meta.config);
        this.backendChanged(await this.deps.start(choice));
        this.keeper.begin({
          config: meta.config,
          theta0,
          test,
          firstRound: meta.firstRound,
          origin: meta.origin,
        });
        for (const r of rounds) this.keeper.add(r);
      }
    } catch (e) {
      this.keeper.forget(`its stored weights could not be read (${errorMessage(e)})`);
    }
    this.pending = null;
    this.sweep = [];
    this.kept();
    this.pump();
  }

  private kept(): void {
    this.deps.post({ type: 'weightsKept', ...this.keeper.summary() });
  }

  private refuse(cmd: SupermaskCommand, error: string): void {
    this.deps.post({ type: 'supermask', requestId: cmd.requestId, pm: cmd.pm, error });
  }

  /** The weights a point is computed from now, the dense net ranked by |w| once per dense net. */
  private source(run: KeptRun, dense: Params): SupermaskSource {
    if (this.ranked?.dense !== dense)
      this.ranked = { dense, ranking: MagnitudeRanking.of(run.config, dense.weights) };
    return { run, dense, ranking: this.ranked.ranking, generation: this.keeper.generation };
  }

  /**
   * Between chunks of a whole-test-set evaluation while no run trains: every YIELD_MS lets the
   * messages that queued up land, and gives the evaluation up (Superseded) once a newer request
   * waits or a run is starting.
   */
  private supersededCheck(): () => void | Promise<void> {
    let last = this.deps.now();
    return () => {
      if (this.deps.now() - last < YIELD_MS) return;
      return turn().then(() => {
        last = this.deps.now();
        if (this.pending || this.running) throw new Superseded();
      });
    };
  }

  private pump(): void {
    const cmd = this.pending ?? this.sweep[0];
    if (!cmd || this.current) return;
    const run = this.keeper.run;
    const dense = this.keeper.dense;
    if (!run || !dense) {
      this.pending = null;
      this.sweep = [];
      return this.refuse(
        cmd,
        run
          ? (this.keeper.noDense ?? 'the dense round has not finished training yet')
          : this.keeper.missing(0)!,
      );
    }
    if (this.running && (this.inRound || !this.session)) return; // answered when the round ends
    if (cmd === this.pending) this.pending = null;
    else this.sweep.shift();
    const source = this.source(run, dense);
    const answer = (point: SupermaskPoint) =>
      this.deps.post({ type: 'supermask', requestId: cmd.requestId, point });
    const done = () => {
      this.current = null;
      this.pump();
    };
    const fail = (e: unknown) =>
      this.refuse(cmd, `the slider could not evaluate: ${errorMessage(e)}`);
    if (this.running) {
      // The next one after a macrotask turn: the drag's messages that queued up meanwhile land
      // first, so the latest value is the one evaluated next, not the oldest.
      this.current = supermaskPoint(this.session!, source, cmd.pm, this.deps.now, 'betweenRounds')
        .then(answer, fail)
        .then(turn)
        .finally(done);
      return;
    }
    const idle = this.idleCompute;
    if (!idle) return this.refuse(cmd, 'no backend has started yet');
    const user = cmd.requestId !== 0;
    let release: () => void = () => undefined;
    this.current = new Promise<void>((r) => (release = r)).then(turn).finally(done);
    this.deps.queueIdle(async () => {
      try {
        const session = testSession(idle.compute, run, idle.evalChunk);
        let point: SupermaskPoint | null;
        try {
          point = await supermaskPoint(session, source, cmd.pm, this.deps.now, 'idle', {
            // A user's request is answered on the preview first: the slider may still move.
            ...(user && previews(run) ? { preview: answer } : {}),
            checkpoint: this.supersededCheck(),
          }).catch((e: unknown) => {
            if (e instanceof Superseded) return null;
            throw e;
          });
        } finally {
          // Given back before the answer goes out: whoever reacts to it finds the kernels free.
          session.dispose();
        }
        if (point) answer(point);
        else if (!user) this.sweep.unshift(cmd); // a starting point waits for the user's request
      } catch (e) {
        fail(e);
      } finally {
        release();
      }
    });
  }
}

/** How often a whole-test-set evaluation lets messages land (a chunk is 64 images, a few ms). */
const YIELD_MS = 25;

const turn = () => new Promise<void>((r) => setTimeout(r, 0));
