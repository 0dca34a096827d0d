/**
 * Runs: parse definitions, create (single or sweep), kill, delete, update, get, list.
 * Creating a sweep stores the parent and every child before it returns their ids; scheduling
 * happens afterwards, in the background, and an agent restart picks it up from storage.
 */
import { InvalidDefinitionError, NotFoundError, ValidationIssue } from '../core/errors';
import { ParseOutcome } from '../core/parse-outcome';
import { randomSeed } from '../core/prng';
import { isTerminalRun, Run } from '../core/run';
import { applyOverrides, parseRunText } from '../core/run-parse';
import { RunSpec } from '../core/run-spec';
import { validateRunSpec } from '../core/run-validate';
import { expandRun } from '../core/sweep';
import { withLock } from '../plugins/statemgr/statemgr';
import { Page, RunQuery } from '../plugins/storage/storage';
import { CoordinatorDeps, lockKey, RunCoordinator } from './run-coordinator';
import { newId } from './ids';
import { ParentUpdater } from './parent-updater';
import { KeyedWorkQueue } from './work-queue';
import { WorkflowService } from './workflow-service';

type Deps = Omit<CoordinatorDeps, 'onChildChanged'>;

export class RunService {
  constructor(
    private readonly deps: Deps,
    private readonly workflowService: WorkflowService,
    private readonly coordinator: RunCoordinator,
    private readonly parents: ParentUpdater,
    private readonly launcher: KeyedWorkQueue,
  ) {}

  /** Parses a run definition, applies `key=value` overrides and validates it against its workflow. */
  async parse(content: string, overrides: Record<string, string>, filename?: string): Promise<ParseOutcome<RunSpec>> {
    const parsed = parseRunText(content, { filename });
    const parsedSpec = parsed.spec ?? parsed.partial;
    if (!parsedSpec) return parsed;
    const spec = applyOverrides(parsedSpec, overrides);
    const workflow = await this.deps.storage.getWorkflow(spec.workflow.id, spec.workflow.version);
    if (!workflow) {
      const ref = spec.workflow.version ? `${spec.workflow.id}:${spec.workflow.version}` : spec.workflow.id;
      const missing = { path: ['workflow'], message: `workflow ${ref} not found: push it first with 'accio push <file>'` };
      return { errors: [...parsed.errors, missing], warnings: parsed.warnings };
    }
    const v = validateRunSpec(spec, workflow, { maxChildren: this.deps.options.maxChildren });
    const errors = [...parsed.errors, ...v.errors.filter((e) => !reportedAlready(parsed.errors, e.path))];
    const warnings = [...parsed.warnings, ...v.warnings];
    return errors.length > 0 ? { errors, warnings } : { spec, errors: [], warnings };
  }

  async create(spec: RunSpec, user?: string): Promise<{ ids: string[]; warnings: ValidationIssue[] }> {
    const workflow = await this.workflowService.get(spec.workflow.id, spec.workflow.version);
    const v = validateRunSpec(spec, workflow, { maxChildren: this.deps.options.maxChildren });
    if (!v.params) throw new InvalidDefinitionError('run', v.errors, v.warnings);
    const runs = expandRun(spec, workflow, v.params, {
      seed: spec.seed ?? randomSeed(Math.random),
      newId,
      nowMs: this.deps.options.now(),
      owner: user,
    });
    await this.deps.storage.saveRuns(runs);
    const [first, ...children] = runs;
    if (children.length === 0) this.launcher.add(first.id);
    for (const child of children) this.launcher.add(child.id);
    return { ids: runs.map((r) => r.id), warnings: v.warnings };
  }

  async get(id: string): Promise<Run> {
    const run = await this.deps.storage.getRun(id);
    if (!run) throw new NotFoundError('run', id, { actions: ["list runs with 'accio ps --all'"] });
    return run;
  }

  list(query: RunQuery): Promise<Page<Run>> {
    return this.deps.storage.listRuns(query);
  }

  /** Kills a run and, for a sweep parent, every child. Killing a finished run changes nothing. */
  async kill(id: string): Promise<Run> {
    const run = await this.get(id);
    if (run.children.length > 0) {
      // Newest first: killing the running children first would let the scheduler start queued
      // ones, only to kill them a moment later.
      for (const child of (await this.deps.storage.getRuns(run.children)).reverse()) {
        if (isTerminalRun(child.state.status)) continue;
        await this.coordinator.kill(child.id);
        // A later event-loop turn per child: SQLite answers synchronously, and a 10,000-child kill
        // must not keep the API and executors' heartbeats waiting.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await this.parents.update(id);
    } else if (!isTerminalRun(run.state.status)) {
      await this.coordinator.kill(id);
      if (run.parent) await this.parents.update(run.parent);
    }
    return this.get(id);
  }

  /** Deletes a run (killing it first); a parent takes its children along; a last child takes its parent. */
  async delete(id: string): Promise<void> {
    const run = await this.kill(id);
    for (const child of run.children) await this.deps.storage.deleteRun(child);
    await this.deps.storage.deleteRun(id);
    if (!run.parent) return;
    const parentId = run.parent;
    await withLock(this.deps.stateManager, lockKey(parentId), async () => {
      const parent = await this.deps.storage.getRun(parentId);
      if (!parent) return;
      const children = parent.children.filter((c) => c !== id);
      if (children.length === 0) await this.deps.storage.deleteRun(parentId);
      else await this.deps.storage.saveRun({ ...parent, children });
    });
    this.parents.touch(parentId);
  }

  async update(id: string, patch: { name?: string; notes?: string; tags?: string[] }): Promise<Run> {
    await this.get(id);
    await withLock(this.deps.stateManager, lockKey(id), async () => {
      const run = await this.get(id);
      await this.deps.storage.saveRun({
        ...run,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        ...(patch.tags !== undefined ? { tags: patch.tags } : {}),
      });
    });
    return this.get(id);
  }
}

/**
 * Whether a structural error already covers a path that validation against the workflow reports
 * again: a malformed param left out of the partial spec would otherwise also show as missing.
 */
function reportedAlready(structural: readonly ValidationIssue[], path: readonly string[]): boolean {
  const key = path.slice(0, 2).join('.');
  return structural.some((e) => e.path.slice(0, 2).join('.') === key);
}
