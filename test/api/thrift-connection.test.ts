/**
 * The Thrift client's connection: concurrent calls on one connection, an agent that stops or
 * restarts, a call that gets no answer.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { AccioError, UnavailableError } from '../../src/core/errors';
import { Run } from '../../src/core/run';
import { AgentClient, connectAgent } from '../../src/api/thrift-client';
import { AgentServer, serveAgentApi } from '../../src/api/thrift-server';
import { AgentApi } from '../../src/api/service';
import { fakeAgent } from './fake-agent';
import { RUN } from './wire-fixtures';

const quiet = () => undefined;

async function serve(answers: Partial<AgentApi>, port = 0): Promise<AgentServer> {
  return serveAgentApi(fakeAgent(answers).api, { port, logger: quiet });
}

const infoOf = (version: string): Partial<AgentApi> => ({ info: async () => ({ version, plugins: {} }) });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

/**
 * A TCP proxy to `port` that, while armed, closes a connection as soon as a request arrives on it
 * instead of forwarding it: what a client sees when the agent closes an idle connection just as the
 * client writes (a restart). Each dropped connection uses up one of the drops asked for.
 */
async function droppingProxy(port: number): Promise<{ port: number; connections(): number; dropNext(n: number): void; close(): Promise<void> }> {
  let drops = 0;
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    connections++;
    const outbound = net.connect(port, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.on('data', (chunk: Uint8Array) => {
      if (drops > 0) {
        drops--;
        inbound.destroy();
      } else {
        outbound.write(chunk);
      }
    });
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    dropNext: (n) => (drops = n),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}

/** A port nothing listens on: one a server just gave back. */
async function freePort(): Promise<number> {
  const server = await serve({});
  await server.close();
  return server.port;
}

describe('Thrift client connection', () => {
  const servers: AgentServer[] = [];
  const clients: AgentClient[] = [];
  const track = <T extends AgentServer | AgentClient>(x: T, into: T[]): T => {
    into.push(x);
    return x;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('gives concurrent calls each their own answer, whatever order the agent answers in', async () => {
    const n = 25;
    const server = track(await serve({
      // The first call asked is answered last.
      getRun: (id) => new Promise<Run>((resolve) => setTimeout(() => resolve({ ...RUN, id }), (n - Number(id)) * 4)),
      info: async () => ({ version: 'v', plugins: {} }),
    }), servers);
    // Through a proxy that counts connections: the calls must share one.
    const proxy = await droppingProxy(server.port);
    try {
      const client = track(connectAgent(`127.0.0.1:${proxy.port}`), clients);
      const ids = Array.from({ length: n }, (_, i) => String(i));
      const [runs, info] = await Promise.all([Promise.all(ids.map((id) => client.getRun(id))), client.info()]);
      assert.deepStrictEqual(runs.map((r) => r.id), ids);
      assert.deepStrictEqual(runs[3], { ...RUN, id: '3' });
      assert.equal(info.version, 'v');
      assert.equal(proxy.connections(), 1);
    } finally {
      await proxy.close();
    }
  });

  it('reconnects on the next call after the agent restarted on the same port', async () => {
    const first = await serve(infoOf('first'));
    const client = track(connectAgent(`127.0.0.1:${first.port}`), clients);
    assert.equal((await client.info()).version, 'first');
    await first.close();
    const second = track(await serve(infoOf('second'), first.port), servers);
    assert.equal(second.port, first.port);
    assert.equal((await client.info()).version, 'second');
    assert.equal((await client.info()).version, 'second');
  });

  it('fails fast with a retryable UnavailableError that says how to start an agent when none listens', async () => {
    const port = await freePort();
    const client = track(connectAgent(`127.0.0.1:${port}`), clients);
    const started = Date.now();
    const err = await rejection(client.info());
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.ok(err instanceof UnavailableError);
    assert.equal(err.code, 'UNAVAILABLE');
    assert.equal(err.retryable, true);
    assert.equal(err.message, `cannot reach the agent at 127.0.0.1:${port}: is it running? start one with 'accio agent', or point the client at a running one`);
  });

  it('connects on a later call once the agent has started', async () => {
    const port = await freePort();
    const client = track(connectAgent(`127.0.0.1:${port}`), clients);
    assert.ok((await rejection(client.info())) instanceof UnavailableError);
    track(await serve(infoOf('late'), port), servers);
    assert.equal((await client.info()).version, 'late');
  });

  it('fails a call in flight with a retryable UnavailableError when the agent stops', async () => {
    let answered!: () => void;
    const reached = new Promise<void>((resolve) => (answered = resolve));
    const server = await serve({
      createRun: () => {
        answered();
        return new Promise(() => undefined);
      },
    });
    const client = track(connectAgent(`127.0.0.1:${server.port}`), clients);
    const call = rejection(client.createRun({ spec: { workflow: { id: 'w' }, tags: [], repeat: 1, params: {} } }));
    await reached;
    await server.close();
    const err = await call;
    assert.ok(err instanceof UnavailableError);
    assert.equal(err.retryable, true);
    assert.match(err.message, /lost the connection to the agent at 127\.0\.0\.1:\d+/);
  });

  it('sends an idempotent call again on a new connection when its connection drops, and a createRun not', async () => {
    const fake = fakeAgent({ getRun: async (id) => ({ ...RUN, id }), createRun: async () => ({ ids: ['a'], warnings: [] }) });
    const server = track(await serveAgentApi(fake.api, { port: 0, logger: quiet }), servers);
    const proxy = await droppingProxy(server.port);
    try {
      const client = track(connectAgent(`127.0.0.1:${proxy.port}`), clients);
      proxy.dropNext(1);
      assert.equal((await client.getRun('r1')).id, 'r1');
      proxy.dropNext(1);
      const err = await rejection(client.createRun({ spec: { workflow: { id: 'w' }, tags: [], repeat: 1, params: {} } }));
      assert.ok(err instanceof UnavailableError);
      assert.match(err.message, /lost the connection/);
      assert.deepStrictEqual(fake.calls.map((c) => c.method), ['getRun']);
      proxy.dropNext(2);
      assert.ok((await rejection(client.getRun('r2'))) instanceof UnavailableError, 'a second drop in a row is reported');
    } finally {
      await proxy.close();
    }
  });

  it('fails a call that gets no answer in time with a retryable UnavailableError, and the next call still works', async () => {
    let hang = true;
    const server = track(await serve({
      info: () => (hang ? new Promise(() => undefined) : Promise.resolve({ version: 'v', plugins: {} })),
    }), servers);
    const client = track(connectAgent(`127.0.0.1:${server.port}`, { timeoutMs: 200 }), clients);
    const started = Date.now();
    const err = await rejection(client.info());
    const took = Date.now() - started;
    assert.ok(took >= 190 && took < 2000, `took ${took} ms`);
    assert.ok(err instanceof UnavailableError);
    assert.match(err.message, /no answer from the agent at .* to info within 200 ms/);
    hang = false;
    assert.equal((await client.info()).version, 'v');
  });

  it('refuses calls once closed, and closing twice is harmless', async () => {
    const server = track(await serve(infoOf('v')), servers);
    const client = connectAgent(`127.0.0.1:${server.port}`);
    await client.info();
    client.close();
    client.close();
    const err = await rejection(client.info());
    assert.ok(err instanceof AccioError);
    assert.equal(err.code, 'UNAVAILABLE');
    assert.match(err.message, /closed/);
  });

  it('refuses to serve on a port in use with a retryable UnavailableError', async () => {
    const server = track(await serve({}), servers);
    const err = await rejection(serve({}, server.port));
    assert.ok(err instanceof UnavailableError);
    assert.match(err.message, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${server.port}: the port is in use`));
  });

  it('rejects an address that is not host:port', () => {
    for (const addr of ['localhost', 'localhost:', ':9090', 'host:99999', 'a:b:9090']) {
      assert.throws(() => connectAgent(addr), (err: unknown) => err instanceof AccioError && err.code === 'INVALID', addr);
    }
  });

  it('accepts a bracketed IPv6 address', () => {
    connectAgent('[::1]:9090').close();
  });

  it('keeps serving other clients after one drops its connection in the middle of a call', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = track(await serve({ killRun: async () => {
      await gate;
      return RUN;
    }, ...infoOf('v') }), servers);
    const dropped = connectAgent(`127.0.0.1:${server.port}`);
    const pending = rejection(dropped.killRun('x'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    dropped.close();
    assert.ok((await pending) instanceof AccioError);
    release();
    const other = track(connectAgent(`127.0.0.1:${server.port}`), clients);
    assert.equal((await other.info()).version, 'v');
    assert.deepStrictEqual(await other.killRun('x'), RUN);
  });
});
