/**
 * The engine: workflows, runs, tasks and lost-task detection over the plugins. It is a runnable:
 * `start()` resumes every unfinished run from storage and starts the background loops; `stop()`
 * ends them. It never reads configuration: the agent passes typed options in.
 */
import { OperatorRegistry } from '../core/operator';
import { Scheduler } from '../plugins/scheduler/scheduler';
import { StateManager } from '../plugins/statemgr/statemgr';
import { Storage } from '../plugins/storage/storage';
import { compileEngineOptions, CompiledEngineOptions, EngineOptions } from './engine-options';
import { ParentUpdater } from './parent-updater';
import { RunCoordinator } from './run-coordinator';
import { RunService } from './run-service';
import { KeyedWorkQueue } from './work-queue';
import { WorkflowCache } from './workflow-cache';
import { WorkflowService } from './workflow-service';

export interface EnginePlugins {
  storage: Storage;
  stateManager: StateManager;
  scheduler: Scheduler;
  operators: OperatorRegistry;
}

export class Engine {
  readonly options: CompiledEngineOptions;
  readonly workflows: WorkflowService;
  readonly runs: RunService;
  readonly coordinator: RunCoordinator;
  private readonly parents: ParentUpdater;
  private readonly launcher: KeyedWorkQueue;
  private lostTimer?: NodeJS.Timeout;

  constructor(readonly plugins: EnginePlugins, options: EngineOptions) {
    this.options = compileEngineOptions(options);
    const { storage, stateManager, scheduler, operators } = plugins;
    const o = this.options;
    this.parents = new ParentUpdater(storage, stateManager, o.parentUpdateDelayMs, o.now, o.log);
    const deps = { storage, stateManager, scheduler, operators, workflows: new WorkflowCache(storage), options: o };
    this.coordinator = new RunCoordinator({ ...deps, onChildChanged: (id) => this.parents.touch(id) });
    this.launcher = new KeyedWorkQueue(o.launchConcurrency, (id) => this.coordinator.advance(id), (id, err) => o.log(`launching run ${id}`, err));
    this.workflows = new WorkflowService(storage, operators, o.now);
    this.runs = new RunService(deps, this.workflows, this.coordinator, this.parents, this.launcher);
  }

  /** Resumes unfinished runs and starts lost-task detection. */
  async start(): Promise<void> {
    await this.coordinator.recover();
    for (const id of await this.plugins.storage.listActiveRunIds()) {
      const run = await this.plugins.storage.getRun(id);
      if (run?.children.length) this.parents.touch(id);
      else this.launcher.add(id);
    }
    const check = () =>
      void this.coordinator.detectLostTasks().catch((err) => this.options.log('lost-task detection', err));
    this.lostTimer = setInterval(check, this.options.lostCheckIntervalMs);
    this.lostTimer.unref();
  }

  /** Waits until launches and parent updates asked for so far are done (tests, benchmarks). */
  async settle(): Promise<void> {
    await this.launcher.idle();
    await this.parents.flush();
  }

  async stop(): Promise<void> {
    if (this.lostTimer) clearInterval(this.lostTimer);
    this.coordinator.close();
    await this.launcher.idle();
    this.parents.close();
  }
}
