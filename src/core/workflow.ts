/**
 * Workflow definitions: params and a graph of nodes, each binding its input ports to a constant,
 * a reference to another node's output (`Node/port`), or a workflow param.
 */
import { DataType } from './types';
import { Value } from './values';

export type InputBinding =
  | { kind: 'value'; value: Value }
  | { kind: 'reference'; node: string; port: string }
  | { kind: 'param'; param: string };

export interface NodeSpec {
  /** Unique in the graph, `^[A-Z][A-Za-z0-9_]*$`; defaults to the operator name. */
  name: string;
  op: string;
  inputs: Record<string, InputBinding>;
}

export interface ParamSpec {
  /** `^[a-z][A-Za-z0-9_]*$` */
  name: string;
  type: DataType;
  /** A param with a default may be left out of a run. */
  default?: Value;
  help?: string;
}

/** What a user writes (after parsing and validation). */
export interface WorkflowSpec {
  /** `^[a-zA-Z][a-zA-Z0-9_.-]*$` */
  id: string;
  name?: string;
  owner?: string;
  params: ParamSpec[];
  graph: NodeSpec[];
}

/** A stored version of a workflow. */
export interface Workflow extends WorkflowSpec {
  /** Content hash of the canonical spec (see workflowVersion). */
  version: string;
  createdAtMs: number;
  /** The newest pushed version is active; runs that name no version use it. */
  active: boolean;
}

export const NODE_NAME = /^[A-Z][A-Za-z0-9_]*$/;
export const PARAM_NAME = /^[a-z][A-Za-z0-9_]*$/;
export const WORKFLOW_ID = /^[a-zA-Z][a-zA-Z0-9_.-]*$/;
