/**
 * Serves an AgentApi implementation as the Thrift AgentService: framed transport, binary protocol,
 * TCP. This is where domain errors become Thrift exceptions; nothing else crosses the wire, least
 * of all a stack trace.
 */
import { randomBytes } from 'node:crypto';
import { AddressInfo, Server, Socket } from 'node:net';
import * as thrift from 'thrift';
import { AccioError, UnavailableError } from '../core/errors';
import * as AgentService from './gen-nodejs/AgentService';
import { API_METHODS, ApiMethod, CALLS, CallCodec } from './mapping/calls';
import { DeclaredException, WireException, accioErrorToWire, internalErrorToWire } from './mapping/errors';
import { need } from './mapping/primitives';
import { AgentApi } from './service';

export interface ServeAgentApiOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** TCP port; 0 picks a free one (read it from the result). */
  port: number;
  /**
   * Receives what the client must not see: unexpected errors with their stack, connection errors.
   * @default console.error
   */
  logger?: (msg: string, err?: unknown) => void;
}

export interface AgentServer {
  /** The port actually listened on. */
  readonly port: number;
  /** Stops listening and drops open connections; resolves once the port is free. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts serving `impl`; resolves once the server listens. Rejects with an UnavailableError when
 * the port is in use, an INVALID AccioError when the address cannot be listened on.
 */
export async function serveAgentApi(impl: AgentApi, options: ServeAgentApiOptions): Promise<AgentServer> {
  const logger = options.logger ?? ((msg: string, err?: unknown) => console.error(msg, err ?? ''));
  const server: Server = thrift.createServer(AgentService, buildHandler(impl, logger), {
    transport: thrift.TFramedTransport,
    protocol: thrift.TBinaryProtocol,
  });

  // Clients keep their connection open between calls: close() must drop them or it never ends.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(listenError(err, host, options.port));
    server.once('error', fail);
    server.listen(options.port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  // The thrift server re-emits every connection's errors (a client reset, an unreadable frame) on
  // the server; without a listener Node would turn the first one into a crash of the agent.
  server.on('error', (err) => logger('thrift: connection error', err));

  let closed: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): AccioError {
  const where = `${host}:${port}`;
  if (err.code === 'EADDRINUSE') {
    return new UnavailableError(`cannot listen on ${where}: the port is in use (another agent?)`, {
      cause: err,
      actions: ['stop the process that holds the port, or choose another port'],
    });
  }
  return new AccioError('INVALID', `cannot listen on ${where}: ${err.message}`, { cause: err, actions: ['check the agent host and port'] });
}

type Logger = (msg: string, err?: unknown) => void;
type WireHandler = Record<ApiMethod, (request: unknown) => Promise<unknown>>;

function buildHandler(impl: AgentApi, logger: Logger): WireHandler {
  return Object.fromEntries(API_METHODS.map((m) => [m, handle(m, impl, logger)])) as WireHandler;
}

/**
 * The handler of one method. It takes exactly one parameter: the generated processor checks the
 * function's arity to choose between promise style and callback style.
 */
function handle(method: ApiMethod, impl: AgentApi, logger: Logger): (request: unknown) => Promise<unknown> {
  const codec = CALLS[method] as unknown as CallCodec<ApiMethod, unknown, unknown>;
  const call = impl[method] as (...args: unknown[]) => Promise<unknown>;
  return async (request: unknown) => {
    let args: unknown[];
    try {
      args = codec.decodeRequest(need(request, 'request'));
    } catch (err) {
      // A request this agent cannot read is the caller's problem: its AccioError says what is wrong.
      throw translate(err, method, codec.throws, logger);
    }
    let result: unknown;
    try {
      result = await call.apply(impl, args);
    } catch (err) {
      throw translate(err, method, codec.throws, logger);
    }
    try {
      return codec.encodeResponse(result as never);
    } catch (err) {
      // The implementation returned something the wire cannot carry: a bug on this side.
      throw unexpected(err, method, logger);
    }
  };
}

function translate(err: unknown, method: ApiMethod, declared: readonly DeclaredException[], logger: Logger): WireException {
  if (!(err instanceof AccioError)) return unexpected(err, method, logger);
  if (err.code === 'INTERNAL') logger(`${method}: internal error`, err);
  return accioErrorToWire(err, declared);
}

/**
 * An error no one planned for: its text and stack may tell a caller about the agent's insides, so
 * they go to the log under an incident id, and the client gets that id only.
 */
function unexpected(err: unknown, method: ApiMethod, logger: Logger): WireException {
  const incident = randomBytes(4).toString('hex');
  logger(`${method} failed unexpectedly (incident ${incident})`, err);
  return internalErrorToWire(`internal error in the agent (incident ${incident}); its log has the details`);
}
