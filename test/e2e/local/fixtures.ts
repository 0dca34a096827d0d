/** Inline workflows for the end-to-end tests, over the built-in testing operators. */

/** One NoOp node whose value is a param: each value is its own cache key. */
export const noOpWorkflow = (id: string) => `
id: ${id}
params:
  - {name: value, type: integer}
graph:
  - op: NoOp
    inputs: {value: {param: value}}
`;

/** A chain of two Sleep nodes. */
export const sleepWorkflow = (id: string, duration: string) => `
id: ${id}
params:
  - {name: duration, type: duration, default: ${duration}}
graph:
  - op: Sleep
    name: First
    inputs: {duration: {param: duration}, value: 1}
  - op: Sleep
    name: Second
    inputs: {duration: 100ms, value: {reference: First/value}}
`;

/** A command that fails, with two generations below it. */
export const failingWorkflow = (id: string) => `
id: ${id}
graph:
  - op: Command
    name: Broken
    inputs: {command: [sh, -c, "echo about to fail >&2; exit 3"]}
  - op: Command
    name: Child
    inputs: {command: [sh, -c, "true"], input: {reference: Broken/output}}
  - op: Command
    name: Grandchild
    inputs: {command: [sh, -c, "true"], input: {reference: Child/output}}
  - op: NoOp
    name: Unrelated
`;
