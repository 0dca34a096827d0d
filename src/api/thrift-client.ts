/**
 * An AgentApi over Thrift (framed transport, binary protocol, TCP), for the CLI, the gateway and
 * executors. Typed exceptions come back as the domain errors of src/core/errors.ts; a connection
 * that cannot be made or is lost becomes an UnavailableError (retryable).
 *
 * One connection carries every call: the generated client numbers each call (seqid) and the
 * connection routes each answer to its caller, so concurrent calls may complete in any order.
 * The connection opens on the first call and, once lost, again on the next one: a client outlives
 * an agent restart. An idempotent call whose connection dropped before its answer is sent once more.
 */
import { Socket } from 'node:net';
import * as thrift from 'thrift';
import { AccioError, UnavailableError } from '../core/errors';
import * as AgentService from './gen-nodejs/AgentService';
import { API_METHODS, ApiMethod, CALLS, CallCodec } from './mapping/calls';
import { accioErrorFromWire, isWireException } from './mapping/errors';
import { AgentApi } from './service';

export interface ConnectAgentOptions {
  /**
   * Longest wait for one call, connecting included, in milliseconds. A call that times out fails
   * with a retryable UnavailableError. @default 30000
   */
  timeoutMs?: number;
}

export interface AgentClient extends AgentApi {
  /** Drops the connection; calls in flight fail, later calls throw. Safe to call twice. */
  close(): void;
}

/**
 * A client of the agent at `addr` (`host:port`, `[::1]:port` for IPv6). Connects lazily: this
 * returns at once, and the first call reports an agent that cannot be reached.
 */
export function connectAgent(addr: string, options: ConnectAgentOptions = {}): AgentClient {
  const channel = new Channel(addr, parseAddress(addr), options.timeoutMs ?? 30_000);
  const client = Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => channel.call(m, args)]));
  return { ...(client as unknown as AgentApi), close: () => channel.close() };
}

interface Address {
  host: string;
  port: number;
}

function parseAddress(addr: string): Address {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(addr) ?? /^([^:[\]]+):(\d+)$/.exec(addr);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new AccioError('INVALID', `invalid agent address "${addr}": expected host:port, such as 127.0.0.1:9090`);
  }
  return { host: m[1], port };
}

/** A call waiting for its answer. */
interface Pending {
  /** When the request was written, in ms since the epoch. */
  sentAtMs: number;
  fail(err: AccioError): void;
}

/** One TCP connection and the calls in flight on it. */
interface Link {
  connection: thrift.Connection;
  client: AgentService.Client;
  pending: Set<Pending>;
  /** When bytes last arrived, in ms since the epoch (0: never). */
  lastDataAtMs: number;
  dead: boolean;
}

class Channel {
  private link: Link | undefined;
  private closed = false;
  /** Errors that report a connection lost after it was made (not one refused or timed out). */
  private readonly lost = new WeakSet<AccioError>();

  constructor(
    private readonly addr: string,
    private readonly address: Address,
    private readonly timeoutMs: number,
  ) {}

  async call(method: ApiMethod, args: unknown[]): Promise<unknown> {
    const codec = CALLS[method] as unknown as CallCodec<ApiMethod, unknown, unknown>;
    // Encoding fails on what the caller passed (a fractional limit, a non-JSON value): its own error.
    const request = codec.encodeRequest(...(args as never as Parameters<AgentApi[ApiMethod]>));
    let response: unknown;
    try {
      response = await this.send(method, request);
    } catch (err) {
      // A connection the agent closed (a restart, a rolling update of replicas) may drop a request
      // the agent never read. Sending it once more on a new connection is safe only when a second
      // execution changes nothing; other calls report the loss and let their caller decide.
      if (!(codec.idempotent && err instanceof AccioError && this.lost.has(err))) throw err;
      response = await this.send(method, request);
    }
    try {
      return codec.decodeResponse(response);
    } catch (err) {
      throw new AccioError('INTERNAL', `the agent at ${this.addr} sent a ${method} answer this client cannot read `
        + `(are the agent and the client the same version?): ${(err as Error).message}`, { cause: err });
    }
  }

  close(): void {
    this.closed = true;
    if (this.link) this.kill(this.link, new AccioError('UNAVAILABLE', `the client of the agent at ${this.addr} was closed`));
  }

  private send(method: ApiMethod, request: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new AccioError('UNAVAILABLE', `this client of the agent at ${this.addr} is closed`));
    const link = this.currentLink();
    return new Promise((resolve, reject) => {
      let done = false;
      const settle = (fn: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        link.pending.delete(pending);
        if (link.pending.size === 0) socketOf(link).unref();
        fn();
      };
      const pending: Pending = { sentAtMs: Date.now(), fail: (err) => settle(() => reject(err)) };
      const timer = setTimeout(() => {
        // A peer silent for a whole timeout is taken for dead (a host gone without a reset, a
        // connection never established): drop it so that the next call connects again. A peer that
        // answered others meanwhile is only slow for this call, and keeps its connection.
        if (link.lastDataAtMs < pending.sentAtMs) this.kill(link, this.timeoutError(method));
        else pending.fail(this.timeoutError(method));
      }, this.timeoutMs);
      link.pending.add(pending);
      socketOf(link).ref();
      const invoke = link.client[method] as unknown as (this: AgentService.Client, request: unknown) => Promise<unknown>;
      invoke.call(link.client, request).then(
        (response) => settle(() => resolve(response)),
        (err: unknown) => settle(() => reject(this.fromWire(method, err))),
      );
    });
  }

  private currentLink(): Link {
    // A connection the agent has ended (it stopped or restarted) may not have reported its close
    // yet: sending on it would fail a call that a new connection can carry.
    if (this.link && !this.link.dead && !hasEnded(socketOf(this.link))) return this.link;
    if (this.link && !this.link.dead) this.kill(this.link, this.connectionError(undefined));
    const connection = thrift.createConnection(this.address.host, this.address.port, {
      transport: thrift.TFramedTransport,
      protocol: thrift.TBinaryProtocol,
      // No max_attempts: the library's own reconnection would retry in the background forever and
      // hold the calls made meanwhile; this channel reconnects on the next call instead.
    });
    const link: Link = {
      connection,
      client: thrift.createClient(AgentService.Client, connection),
      pending: new Set(),
      lastDataAtMs: 0,
      dead: false,
    };
    socketOf(link).on('data', () => {
      link.lastDataAtMs = Date.now();
    });
    connection.on('error', (err: NodeJS.ErrnoException) => this.kill(link, this.connectionError(err)));
    connection.on('close', () => this.kill(link, this.connectionError(undefined)));
    this.link = link;
    return link;
  }

  /** Fails every call in flight on `link` and drops its connection; the first reason wins. */
  private kill(link: Link, reason: AccioError): void {
    if (!link.dead) {
      link.dead = true;
      link.connection.destroy();
    }
    for (const p of [...link.pending]) p.fail(reason);
  }

  private connectionError(err: NodeJS.ErrnoException | undefined): AccioError {
    const at = `the agent at ${this.addr}`;
    const start = "start one with 'accio agent', or point the client at a running one";
    switch (err?.code) {
      case 'ECONNREFUSED':
        return new UnavailableError(`cannot reach ${at}: is it running? ${start}`, { cause: err, actions: [start] });
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new UnavailableError(`cannot resolve the host of ${at}: check the address`, { cause: err, actions: ['check the agent address'] });
      case 'ETIMEDOUT':
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return new UnavailableError(`cannot reach ${at} (${err.code}): check the address and the network`, { cause: err, actions: ['check the agent address'] });
      default: {
        const lost = new UnavailableError(`lost the connection to ${at}${err?.code ? ` (${err.code})` : ''}: it may have stopped or restarted; try again`, {
          cause: err,
          actions: ['try again; if it keeps failing, check that the agent is running'],
        });
        this.lost.add(lost);
        return lost;
      }
    }
  }

  private timeoutError(method: ApiMethod): AccioError {
    return new UnavailableError(`no answer from the agent at ${this.addr} to ${method} within ${this.timeoutMs} ms: is it overloaded or unreachable?`, {
      actions: ['try again, or raise the client timeout'],
    });
  }

  private fromWire(method: ApiMethod, err: unknown): AccioError {
    if (isWireException(err)) return accioErrorFromWire(err);
    if (err instanceof AccioError) return err;
    // A TApplicationException (say, a method this agent does not know: an older version) or the
    // generated client's "unknown result" string.
    const text = err instanceof Error ? err.message : String(err);
    return new AccioError('INTERNAL', `the agent at ${this.addr} could not answer ${method}: ${text}`, { cause: err });
  }
}

function socketOf(link: Link): Socket {
  return link.connection.connection;
}

function hasEnded(socket: Socket): boolean {
  return socket.destroyed || socket.readableEnded || !socket.writable;
}
