/**
 * The Thrift layer end to end over a real TCP connection: a server on a random port in front of a
 * fake AgentApi, and the client. Every method must deliver its domain arguments and its domain
 * answer unchanged, and every domain error must come back as itself.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as thrift from 'thrift';
import {
  AccioError, ConflictError, InvalidDefinitionError, InvalidTaskError, NotFoundError, UnavailableError,
} from '../../src/core/errors';
import { AgentClient, connectAgent } from '../../src/api/thrift-client';
import { AgentServer, serveAgentApi } from '../../src/api/thrift-server';
import { AgentApi } from '../../src/api/service';
import { API_METHODS, ApiMethod, CALLS } from '../../src/api/mapping/calls';
import * as AgentService from '../../src/api/gen-nodejs/AgentService';
import * as wire from '../../src/api/gen-nodejs/accio_types';
import { fakeAgent } from './fake-agent';
import {
  FULL_OPERATOR, invalidWorkflowError, LOG_LINES, MINIMAL_OPERATOR, MINIMAL_RUN_SPEC, MINIMAL_WORKFLOW,
  MINIMAL_WORKFLOW_SPEC, RUN, RUN_SPEC, START_TASK, SWEEP_PARENT, WORKFLOW, WORKFLOW_SPEC,
} from './wire-fixtures';

interface RoundTrip {
  method: ApiMethod;
  label: string;
  args: unknown[];
  result: unknown;
  /** What the agent receives when it differs from `args` (an omitted options object arrives empty). */
  received?: unknown[];
}

/** A round trip of `method`, typed by the API. */
function rt<M extends ApiMethod>(
  method: M, label: string, args: Parameters<AgentApi[M]>, result: Awaited<ReturnType<AgentApi[M]>>, received?: unknown[],
): RoundTrip {
  return { method, label, args, result, received };
}

const WARNING = { path: ['graph', 'Legacy'], message: 'deprecated' };
const ERRORS = invalidWorkflowError().errors;

const ROUND_TRIPS: RoundTrip[] = [
  rt('getOperator', 'an operator with every optional field', ['Generate'], FULL_OPERATOR),
  rt('getOperator', 'an operator without optional fields', ['Noop'], MINIMAL_OPERATOR),
  rt('listOperators', 'several operators', [{ includeDeprecated: true }], [FULL_OPERATOR, MINIMAL_OPERATOR]),
  rt('listOperators', 'no options and no operators', [], [], [{}]),
  rt('parseWorkflow', 'a valid spec with a warning', ['id: x\n', 'wf.yaml'], { spec: WORKFLOW_SPEC, errors: [], warnings: [WARNING] }),
  rt('parseWorkflow', 'errors without a spec', ['{'], { errors: ERRORS, warnings: [] }),
  rt('pushWorkflow', 'a full workflow', [WORKFLOW_SPEC, 'alice'], { workflow: WORKFLOW, warnings: [] }),
  rt('pushWorkflow', 'a minimal workflow', [MINIMAL_WORKFLOW_SPEC], { workflow: MINIMAL_WORKFLOW, warnings: [WARNING] }),
  rt('getWorkflow', 'a version asked for', ['geo.privacy-v2', 'f'.repeat(64)], WORKFLOW),
  rt('getWorkflow', 'the active version', ['w'], MINIMAL_WORKFLOW),
  rt('listWorkflows', 'every filter', [{ owner: 'alice', name: 'geo', q: 'privacy', limit: 10, offset: 20 }], { results: [WORKFLOW, MINIMAL_WORKFLOW], total: 1234 }),
  rt('listWorkflows', 'no filter', [{}], { results: [], total: 0 }),
  rt('parseRun', 'every kind of exploration', ['workflow: geo\n', { epsilon: '0.1', ks: '[1,2]' }, 'run.yaml'], { spec: RUN_SPEC, errors: [], warnings: [WARNING] }),
  rt('parseRun', 'errors without a spec', ['', {}], { errors: ERRORS, warnings: [] }),
  rt('createRun', 'a sweep', [{ spec: RUN_SPEC, user: 'bob' }], { ids: [SWEEP_PARENT.id, ...SWEEP_PARENT.children], warnings: [WARNING] }),
  rt('createRun', 'a minimal run', [{ spec: MINIMAL_RUN_SPEC }], { ids: [RUN.id], warnings: [] }),
  rt('getRun', 'a run with values of every type and node states full and bare', [RUN.id], RUN),
  rt('getRun', 'a sweep parent with child counts', [SWEEP_PARENT.id], SWEEP_PARENT),
  rt('listRuns', 'every filter', [{
    owner: 'alice', name: 'eps', workflowId: 'geo', status: ['SCHEDULED', 'RUNNING', 'SUCCESS', 'FAILED', 'KILLED'],
    tags: ['a', 'b'], parent: SWEEP_PARENT.id, q: 'x', limit: 5, offset: 0,
  }], { results: [RUN, SWEEP_PARENT], total: 2 }),
  rt('listRuns', 'no filter, empty lists kept', [{ status: [], tags: [] }], { results: [], total: 0 }),
  rt('killRun', 'the killed run', [RUN.id], { ...RUN, state: { ...RUN.state, status: 'KILLED', completedAtMs: 1_764_000_100_000 } }),
  rt('deleteRun', 'nothing back', [RUN.id], undefined),
  rt('updateRun', 'every field, tags cleared', [{ id: RUN.id, name: 'n', notes: '', tags: [] }], RUN),
  rt('updateRun', 'the id only', [{ id: RUN.id }], SWEEP_PARENT),
  rt('listLogs', 'every filter', [{ runId: RUN.id, node: 'Generate', stream: 'stderr', sinceMs: 1_764_000_000_000, limit: 100 }], LOG_LINES),
  rt('listLogs', 'no filter', [{ runId: RUN.id, node: 'Generate' }], []),
  rt('info', 'version and plugins', [], { version: '0.1.0', plugins: { storage: 'sqlite', statemgr: 'local' } }),
  rt('startTask', 'a payload with values of every type', ['t-1', 'secret'], START_TASK),
  rt('heartbeat', 'nothing back', ['t-1', 'secret'], undefined),
  rt('streamLogs', 'lines of both streams', ['t-1', 'secret', LOG_LINES.map(({ stream, atMs, message }) => ({ stream, atMs, message }))], undefined),
  rt('streamLogs', 'no lines', ['t-1', 'secret', []], undefined),
  rt('completeTask', 'a success', ['t-1', 'secret', { kind: 'success', result: RUN.state.nodes[0].result! }], undefined),
  rt('completeTask', 'a failure', ['t-1', 'secret', { kind: 'failure', error: { classifier: 'exit 3', message: 'boom', stack: 's' }, metrics: { wall_time_ms: 3 } }], undefined),
];

/** A server in front of a fake agent whose every method runs `answer`, and a client of it. */
function startPair() {
  const state = {
    answer: (async () => undefined) as (...args: unknown[]) => Promise<unknown>,
    logged: [] as { msg: string; err?: unknown }[],
  };
  const fake = fakeAgent(Object.fromEntries(API_METHODS.map((m) => [m, (...a: unknown[]) => state.answer(...a)])) as Partial<AgentApi>);
  let server: AgentServer;
  let client: AgentClient;
  before(async () => {
    server = await serveAgentApi(fake.api, { port: 0, logger: (msg, err) => state.logged.push({ msg, err }) });
    client = connectAgent(`127.0.0.1:${server.port}`);
  });
  after(async () => {
    client.close();
    await server.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
    state.logged.length = 0;
  });
  return { state, fake, client: () => client, port: () => server.port };
}

/** Calls `method` on the client with untyped arguments. */
function invoke(client: AgentClient, method: ApiMethod, args: unknown[]): Promise<unknown> {
  return (client[method] as (...a: unknown[]) => Promise<unknown>)(...args);
}

/** Arguments good enough to reach the agent for each method. */
const SAMPLE_ARGS = new Map(ROUND_TRIPS.map((c) => [c.method, c.args]));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('AgentService over Thrift', () => {
  const pair = startPair();

  describe('round trips', () => {
    for (const c of ROUND_TRIPS) {
      it(`${c.method} delivers ${c.label} unchanged, arguments and answer`, async () => {
        pair.state.answer = async () => c.result;
        const got = await invoke(pair.client(), c.method, c.args);
        assert.deepStrictEqual(pair.fake.calls, [{ method: c.method, args: c.received ?? c.args }]);
        assert.deepStrictEqual(got, c.result);
      });
    }

    it('covers every method of the API', () => {
      assert.deepStrictEqual([...new Set(ROUND_TRIPS.map((c) => c.method))].sort(), [...API_METHODS].sort());
    });
  });

  describe('errors', () => {
    const declaring = (e: 'invalidDefinition' | 'notFound' | 'invalidTask') => API_METHODS.filter((m) => CALLS[m].throws.includes(e));

    for (const method of declaring('invalidDefinition')) {
      it(`${method} rejects with the InvalidDefinitionError thrown, every error and warning at its path`, async () => {
        const thrown = invalidWorkflowError();
        pair.state.answer = async () => {
          throw thrown;
        };
        const err = await rejection(invoke(pair.client(), method, SAMPLE_ARGS.get(method)!));
        assert.ok(err instanceof InvalidDefinitionError);
        assert.equal(err.name, 'InvalidDefinitionError');
        assert.equal(err.code, 'INVALID');
        assert.equal(err.message, thrown.message);
        assert.deepStrictEqual(err.errors, thrown.errors);
        assert.deepStrictEqual(err.warnings, thrown.warnings);
        assert.deepStrictEqual(err.actions, thrown.actions);
        assert.equal(err.retryable, false);
      });
    }

    for (const method of declaring('notFound')) {
      it(`${method} rejects with the NotFoundError thrown, with its kind and id`, async () => {
        pair.state.answer = async () => {
          throw new NotFoundError('run', 'abc123', { actions: ['list runs with accio runs'] });
        };
        const err = await rejection(invoke(pair.client(), method, SAMPLE_ARGS.get(method)!));
        assert.ok(err instanceof NotFoundError);
        assert.deepStrictEqual(
          { name: err.name, code: err.code, kind: err.kind, id: err.id, message: err.message, actions: err.actions, retryable: err.retryable },
          { name: 'NotFoundError', code: 'NOT_FOUND', kind: 'run', id: 'abc123', message: 'run not found: abc123', actions: ['list runs with accio runs'], retryable: false },
        );
      });
    }

    for (const method of declaring('invalidTask')) {
      it(`${method} rejects with the InvalidTaskError thrown, with its task id`, async () => {
        pair.state.answer = async () => {
          throw new InvalidTaskError('t-9', 'wrong token');
        };
        const err = await rejection(invoke(pair.client(), method, SAMPLE_ARGS.get(method)!));
        assert.ok(err instanceof InvalidTaskError);
        assert.deepStrictEqual(
          { name: err.name, code: err.code, taskId: err.taskId, message: err.message },
          { name: 'InvalidTaskError', code: 'INVALID_TASK', taskId: 't-9', message: 'invalid task t-9: wrong token' },
        );
      });
    }

    it('a ConflictError arrives as a retryable ConflictError', async () => {
      pair.state.answer = async () => {
        throw new ConflictError('run abc is locked by another agent');
      };
      const err = await rejection(pair.client().killRun('abc'));
      assert.ok(err instanceof ConflictError);
      assert.deepStrictEqual([err.code, err.message, err.retryable], ['CONFLICT', 'run abc is locked by another agent', true]);
    });

    it('an UnavailableError of the agent (its storage is down) arrives as a retryable UnavailableError', async () => {
      pair.state.answer = async () => {
        throw new UnavailableError('storage unreachable', { actions: ['check Elasticsearch'] });
      };
      const err = await rejection(pair.client().listRuns({}));
      assert.ok(err instanceof UnavailableError);
      assert.deepStrictEqual([err.code, err.message, err.retryable, err.actions], ['UNAVAILABLE', 'storage unreachable', true, ['check Elasticsearch']]);
    });

    it('an AccioError keeps its code, message, retryability and actions', async () => {
      pair.state.answer = async () => {
        throw new AccioError('INVALID', 'limit must be positive', { retryable: true, actions: ['pass --limit 10'] });
      };
      const err = await rejection(pair.client().listWorkflows({ limit: -1 }));
      assert.ok(err instanceof AccioError);
      assert.deepStrictEqual([err.code, err.message, err.retryable, err.actions], ['INVALID', 'limit must be positive', true, ['pass --limit 10']]);
    });

    it('a typed error a method does not declare keeps its code and message', async () => {
      pair.state.answer = async () => {
        throw new NotFoundError('workflow', 'geo');
      };
      const err = await rejection(pair.client().listRuns({ workflowId: 'geo' }));
      assert.ok(err instanceof AccioError);
      assert.deepStrictEqual([err.code, err.message], ['NOT_FOUND', 'workflow not found: geo']);
    });

    it('an INTERNAL AccioError arrives with its message and is logged by the agent', async () => {
      pair.state.answer = async () => {
        throw new AccioError('INTERNAL', 'run abc has no state');
      };
      const err = await rejection(pair.client().getRun('abc'));
      assert.ok(err instanceof AccioError);
      assert.deepStrictEqual([err.code, err.message], ['INTERNAL', 'run abc has no state']);
      assert.equal(pair.state.logged.length, 1);
    });

    it('an unexpected error arrives as INTERNAL with a generic message, and only the agent log has its text and stack', async () => {
      const secret = new TypeError('cannot read properties of undefined (password=hunter2)');
      pair.state.answer = async () => {
        throw secret;
      };
      const err = await rejection(pair.client().getRun('abc'));
      assert.ok(err instanceof AccioError);
      assert.equal(err.code, 'INTERNAL');
      assert.equal(err.retryable, false);
      const onWire = JSON.stringify({ message: err.message, actions: err.actions, fields: { ...err } });
      for (const leak of ['hunter2', 'TypeError', 'cannot read', '.ts:', '    at ']) assert.ok(!onWire.includes(leak), `the client saw "${leak}": ${onWire}`);
      const incident = /incident ([0-9a-f]+)/.exec(err.message)?.[1];
      assert.ok(incident, err.message);
      assert.equal(pair.state.logged.length, 1);
      assert.match(pair.state.logged[0].msg, new RegExp(`getRun.*${incident}`));
      assert.equal(pair.state.logged[0].err, secret);
    });

    it('a thrown non-Error arrives as INTERNAL', async () => {
      pair.state.answer = async () => {
        throw 'a string, not an Error';
      };
      const err = await rejection(pair.client().info());
      assert.ok(err instanceof AccioError);
      assert.equal(err.code, 'INTERNAL');
      assert.ok(!err.message.includes('a string'));
    });

    it('an answer the wire cannot carry exactly (a fractional seed) arrives as INTERNAL and is logged', async () => {
      pair.state.answer = async () => ({ ...RUN, seed: 1.5 });
      const err = await rejection(pair.client().getRun(RUN.id));
      assert.ok(err instanceof AccioError);
      assert.equal(err.code, 'INTERNAL');
      assert.match(String((pair.state.logged[0]?.err as Error)?.message), /seed/);
    });

    it('a request missing a field the agent needs fails as INVALID naming the field, without reaching the implementation', async () => {
      const connection = thrift.createConnection('127.0.0.1', pair.port(), { transport: thrift.TFramedTransport, protocol: thrift.TBinaryProtocol });
      try {
        const raw = thrift.createClient(AgentService.Client, connection);
        const err = await rejection(raw.getRun(new wire.GetRunRequest()));
        assert.ok(err instanceof wire.ServerError);
        assert.deepStrictEqual([err.code, err.message, err.retryable], ['INVALID', 'malformed message: id is missing', false]);
        assert.equal(pair.fake.calls.length, 0);
      } finally {
        connection.end();
      }
    });

    it('arguments the wire cannot carry exactly fail as INVALID on the client, before reaching the agent', async () => {
      const err = await rejection(pair.client().listRuns({ limit: 2.5 }));
      assert.ok(err instanceof AccioError);
      assert.equal(err.code, 'INVALID');
      assert.match(err.message, /limit/);
      assert.equal(pair.fake.calls.length, 0);
    });
  });
});

describe('AgentService IDL', () => {
  it('declares for each method exactly the typed exceptions its codec translates to', () => {
    const idl = fs.readFileSync(path.join(__dirname, '../../src/api/accio.thrift'), 'utf8');
    const declared = new Map<string, string[]>();
    for (const m of idl.matchAll(/^\s*\w+Response (\w+)\(1: \w+Request request\)\s*throws \(([^)]*)\)/gm)) {
      declared.set(m[1], m[2].split(',').map((t) => t.trim().split(/\s+/)[2]).filter((n) => n !== 'serverError').sort());
    }
    assert.deepStrictEqual([...declared.keys()].sort(), [...API_METHODS].sort());
    for (const method of API_METHODS) assert.deepStrictEqual(declared.get(method), [...CALLS[method].throws].sort(), method);
  });
});
