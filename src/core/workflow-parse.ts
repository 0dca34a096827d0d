/**
 * Workflow definitions as people write them (YAML or JSON, see docs/workflow-definitions.md) into
 * a validated, normalized WorkflowSpec. Every problem is reported at once, each at its path.
 */
import { LineCounter, parseDocument } from 'yaml';
import { ValidationIssue } from './errors';
import { checkWorkflowDraft } from './internal/workflow-check';
import { readWorkflowDocument } from './internal/workflow-draft';
import { OperatorRegistry } from './operator';
import { ParseOutcome } from './parse-outcome';
import { WorkflowSpec } from './workflow';

export interface ParseWorkflowOptions {
  /** The file the definition was read from. When the document has no `id`, its base name up to
   *  the first dot is the id (`flows/geo-i.yaml` -> `geo-i`). */
  filename?: string;
}

/**
 * Parses a YAML or JSON workflow definition. A syntax error is reported alone (nothing else can be
 * checked), with its line and column; otherwise as for parseWorkflowObject.
 */
export function parseWorkflowText(text: string, registry: OperatorRegistry, options: ParseWorkflowOptions = {}): ParseOutcome<WorkflowSpec> {
  const read = readText(text);
  if ('error' in read) {
    const where = options.filename === undefined ? '' : ` in ${options.filename}`;
    return { errors: [{ path: [], message: `${read.error}${where}` }], warnings: [] };
  }
  return parseWorkflowObject(read.doc, registry, options);
}

/**
 * Validates an already parsed definition (a YAML/JSON document, or a custom resource's spec) and
 * normalizes it: node names defaulted from operators, constants coerced to their port types,
 * param defaults to their param types. `spec` is present only when there is no error.
 */
export function parseWorkflowObject(doc: unknown, registry: OperatorRegistry, options: ParseWorkflowOptions = {}): ParseOutcome<WorkflowSpec> {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const draft = readWorkflowDocument(doc, options, errors);
  const checked = checkWorkflowDraft(draft, registry, errors, warnings);
  if (errors.length > 0 || draft.id === undefined) return { errors, warnings };
  const spec: WorkflowSpec = { id: draft.id, params: checked.params, graph: checked.graph };
  if (draft.name !== undefined) spec.name = draft.name;
  if (draft.owner !== undefined) spec.owner = draft.owner;
  return { spec, errors, warnings };
}

function readText(text: string): { doc: unknown } | { error: string } {
  // JSON is YAML too, but JSON.parse is several times faster on the large documents tools generate;
  // on failure YAML gives the better message, with a line and column.
  if (/^\s*[{[]/.test(text)) {
    try {
      return { doc: JSON.parse(text) };
    } catch {
      // fall through to YAML
    }
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = document.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    return { error: `invalid YAML at line ${line}, column ${col}: ${first.message}` };
  }
  try {
    return { doc: document.toJS() };
  } catch (err) {
    // toJS throws on an unresolved alias or an alias bomb (too many alias expansions).
    return { error: `invalid YAML: ${(err as Error).message}` };
  }
}
