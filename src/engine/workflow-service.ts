/**
 * Workflows: parse, validate, push (a new version; old ones kept), get, list.
 */
import { InvalidDefinitionError, NotFoundError, ValidationIssue } from '../core/errors';
import { OperatorRegistry } from '../core/operator';
import { ParseOutcome } from '../core/parse-outcome';
import { Workflow, WorkflowSpec } from '../core/workflow';
import { parseWorkflowText } from '../core/workflow-parse';
import { validateWorkflowSpec } from '../core/workflow-validate';
import { workflowVersion } from '../core/workflow-version';
import { Page, Storage, WorkflowQuery } from '../plugins/storage/storage';

export class WorkflowService {
  constructor(
    private readonly storage: Storage,
    private readonly operators: OperatorRegistry,
    private readonly now: () => number,
  ) {}

  parse(content: string, filename?: string): ParseOutcome<WorkflowSpec> {
    return parseWorkflowText(content, this.operators, { filename });
  }

  /**
   * Stores a new active version, or returns the stored one when the same definition was pushed
   * before (its version is a content hash), making it active again.
   */
  async push(spec: WorkflowSpec, user?: string): Promise<{ workflow: Workflow; warnings: ValidationIssue[]; created: boolean }> {
    const withOwner = { ...spec, owner: spec.owner ?? user };
    const { errors, warnings } = validateWorkflowSpec(withOwner, this.operators);
    if (errors.length > 0) throw new InvalidDefinitionError(`workflow ${spec.id}`, errors, warnings);
    const version = workflowVersion(withOwner);
    const existing = await this.storage.getWorkflow(spec.id, version);
    if (existing) {
      if (!existing.active) await this.storage.saveWorkflow({ ...existing, active: true });
      return { workflow: { ...existing, active: true }, warnings, created: false };
    }
    const workflow: Workflow = { ...withOwner, version, createdAtMs: this.now(), active: true };
    await this.storage.saveWorkflow(workflow);
    return { workflow, warnings, created: true };
  }

  async get(id: string, version?: string): Promise<Workflow> {
    const wf = await this.storage.getWorkflow(id, version);
    if (!wf) {
      throw new NotFoundError('workflow', version ? `${id}:${version}` : id, {
        actions: ["list workflows with 'accio workflows'; push one with 'accio push <file>'"],
      });
    }
    return wf;
  }

  list(query: WorkflowQuery): Promise<Page<Workflow>> {
    return this.storage.listWorkflows(query);
  }
}
