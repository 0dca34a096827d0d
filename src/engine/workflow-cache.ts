/**
 * Workflow versions are immutable, so the engine keeps each one it has loaded, with its DAG and
 * nodes by name, instead of reading storage on every scheduling pass.
 */
import { NotFoundError } from '../core/errors';
import { buildDag, Dag } from '../core/graph';
import { WorkflowRef } from '../core/run';
import { NodeSpec, Workflow } from '../core/workflow';
import { Storage } from '../plugins/storage/storage';

export interface LoadedWorkflow {
  workflow: Workflow;
  dag: Dag;
  nodes: ReadonlyMap<string, NodeSpec>;
}

export class WorkflowCache {
  private readonly loaded = new Map<string, LoadedWorkflow>();

  constructor(private readonly storage: Storage, private readonly maxEntries = 1000) {}

  async get(ref: WorkflowRef): Promise<LoadedWorkflow> {
    const key = `${ref.id}@${ref.version}`;
    const hit = this.loaded.get(key);
    if (hit) return hit;
    const workflow = await this.storage.getWorkflow(ref.id, ref.version);
    if (!workflow) throw new NotFoundError('workflow', `${ref.id}:${ref.version}`);
    const entry = { workflow, dag: buildDag(workflow.graph), nodes: new Map(workflow.graph.map((n) => [n.name, n])) };
    if (this.loaded.size >= this.maxEntries) this.loaded.delete(this.loaded.keys().next().value!);
    this.loaded.set(key, entry);
    return entry;
  }
}
