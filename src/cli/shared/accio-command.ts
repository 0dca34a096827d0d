/**
 * The base of every `accio` command: the `--json` envelope, error reporting and exit codes,
 * Ctrl-C handling, and (for commands that talk to an agent) `--addr` and the client factory.
 * Commands keep `run()` thin: parse flags, get the client, call a plain function with an Io.
 */
import os from 'node:os';
import { Command, Errors, Flags } from '@oclif/core';
import { ClientApi } from '../../api/service';
import { CommandFailedError, InterruptedError, UsageError, actionsOf, definitionErrors, formatError } from './errors';
import { Io, streamIo } from './io';

/** Where the CLI looks for an agent when neither `--addr` nor `ACCIO_ADDR` says. */
export const DEFAULT_ADDR = '127.0.0.1:9999';

/** What commands need of an agent connection: the client API, and closing it. */
export type CliClient = ClientApi & { close(): void | Promise<void> };

export interface ConnectOptions {
  /** How long one call may take before it fails as UNAVAILABLE; the client's default when absent. */
  timeoutMs?: number;
}

/** Opens a connection to the agent at `host:port`. */
export type ClientFactory = (addr: string, options?: ConnectOptions) => CliClient | Promise<CliClient>;

// Loaded lazily so that `accio validate --help` or `accio agent` do not load the Thrift stack.
let clientFactory: ClientFactory = async (addr, options) => {
  const { connectAgent } = await import('../../api/thrift-client');
  return connectAgent(addr, options);
};

/**
 * Replaces how commands connect to an agent (tests pass a fake ClientApi); returns a function
 * that restores the previous factory.
 */
export function setClientFactory(factory: ClientFactory): () => void {
  const previous = clientFactory;
  clientFactory = factory;
  return () => {
    clientFactory = previous;
  };
}

/** Who is running the CLI: env `ACCIO_USER`, else the OS login name. */
export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ACCIO_USER?.trim();
  if (fromEnv) return fromEnv;
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the agent still needs a name to record.
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

/** The codes of src/core/errors.ts: the only `code` values that the envelope passes on. */
const ERROR_CODES = new Set<string>(['INVALID', 'NOT_FOUND', 'CONFLICT', 'INVALID_TASK', 'UNAVAILABLE', 'INTERNAL']);

const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE']);

/**
 * The exit code for an error: the one place where errors become exit codes.
 *
 * | code | meaning | errors |
 * |---|---|---|
 * | 0 | success | (no error) |
 * | 1 | usage error | oclif flag/argument errors (any `CLIError`), `UsageError` (bad argument, a file that does not exist) |
 * | 2 | invalid definition | `InvalidDefinitionError` (code `INVALID`): every error is printed with its path |
 * | 3 | not found | `NotFoundError` (code `NOT_FOUND`): a run, workflow, operator or node |
 * | 4 | runtime failure | `UnavailableError` (agent unreachable), `ConflictError`, a socket error; a waited run that did not succeed |
 * | 5 | internal error | anything else, `AccioError` with code `INTERNAL` included |
 * | 130 | interrupted | Ctrl-C (`InterruptedError` from SIGINT; 143 for SIGTERM) |
 *
 * `CommandFailedError` carries its own code (the worst across the files or runs of a command
 * working on several); oclif's `ExitError` (`this.exit(n)`) keeps `n`. AccioErrors are matched by
 * `code`, not by class, so an error rebuilt by another copy of the module maps the same way.
 */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommandFailedError) return err.exitCode;
  if (err instanceof InterruptedError) return err.signal === 'SIGTERM' ? 143 : 130;
  if (err instanceof Errors.ExitError) return err.oclif.exit ?? 1;
  if (err instanceof Errors.CLIError || err instanceof UsageError) return 1;
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'INVALID':
      return 2;
    case 'NOT_FOUND':
      return 3;
    case 'UNAVAILABLE':
    case 'CONFLICT':
      return 4;
  }
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return 4;
  return 5;
}

/** Whether an error says the agent (or a service behind it) could not be reached. */
export function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UNAVAILABLE' || (typeof code === 'string' && NETWORK_ERROR_CODES.has(code));
}

/**
 * Thrown by `catch()` once the error has been reported: oclif's handler then prints nothing more
 * and exits with `exitCode`. Tests calling `Command.run(argv)` see it and read `exitCode`.
 */
export class ReportedError extends Error {
  readonly exitCode: number;
  /** Read by oclif's error handler: do not print again. */
  readonly skipOclifErrorHandling = true;
  /** Read by oclif's error handler: the exit code. */
  readonly oclif: { exit: number };
  /** `EEXIT` keeps oclif from logging the stack of an error already reported. */
  readonly code = 'EEXIT';

  constructor(cause: unknown, exitCode: number) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'ReportedError';
    this.exitCode = exitCode;
    this.oclif = { exit: exitCode };
  }
}

/** The `--json` output of a command that succeeded. */
export interface SuccessEnvelope<T> {
  status: 0;
  result: T;
  warnings: string[];
}

/** The `--json` output of a command that failed; `status` is the exit code. */
export interface ErrorEnvelope {
  status: number;
  name: string;
  message: string;
  /** The AccioError code (`NOT_FOUND`, ...), when there is one. */
  code?: string;
  actions: string[];
  /** Validation issues of an invalid definition, or what a CommandFailedError carries. */
  data?: unknown;
  warnings: string[];
}

export abstract class AccioCommand<T> extends Command {
  static override enableJsonFlag = true;

  /**
   * How long an interrupted command may take to stop on its own before the process exits
   * anyway. Waiting commands stop at once through `signal`; the agent needs longer.
   */
  static interruptGraceMs = 1000;

  /** Warnings for the JSON envelope, filled through `io.warn`. */
  protected readonly warnings: string[] = [];
  private readonly abortController = new AbortController();
  private interruptedBy?: NodeJS.Signals;
  private forceExitTimer?: NodeJS.Timeout;
  private readonly onSignal = (signal: NodeJS.Signals): void => this.interrupt(signal);
  private ioInstance?: Io;

  abstract override run(): Promise<T>;

  /** Aborted on SIGINT or SIGTERM; its reason is an InterruptedError. */
  protected get signal(): AbortSignal {
    return this.abortController.signal;
  }

  /** Human output (silent under `--json`). */
  protected get io(): Io {
    this.ioInstance ??= streamIo({
      stdout: process.stdout,
      stderr: process.stderr,
      quiet: this.jsonEnabled(),
      onWarning: (m) => this.warnings.push(m),
    });
    return this.ioInstance;
  }

  protected override async init(): Promise<void> {
    await super.init();
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  private interrupt(signal: NodeJS.Signals): void {
    const code = signal === 'SIGTERM' ? 143 : 130;
    // A second Ctrl-C means "now", whatever the command is doing.
    if (this.interruptedBy !== undefined) process.exit(code);
    this.interruptedBy = signal;
    this.abortController.abort(new InterruptedError(signal));
    const grace = (this.constructor as typeof AccioCommand).interruptGraceMs;
    this.forceExitTimer = setTimeout(() => process.exit(code), grace);
    this.forceExitTimer.unref();
  }

  /** Reports any error once (stderr, or the JSON error envelope), sets the exit code, and rethrows it as reported. */
  protected override async catch(err: Error): Promise<never> {
    const code = exitCodeFor(err);
    process.exitCode = code;
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err));
    } else if (!(err instanceof InterruptedError)) {
      const lines = err instanceof CommandFailedError
        ? [`Error: ${err.message}`, ...(err.actions.length ? ['Try this:', ...err.actions.map((a) => `  ${a}`)] : [])]
        : formatError(err, { color: Boolean(process.stderr.isTTY), debug: Boolean(process.env.ACCIO_DEBUG), actions: this.actionsFor(err) });
      process.stderr.write(`${lines.join('\n')}\n`);
    }
    throw new ReportedError(err, code);
  }

  /** Next steps for errors that carry none; the client commands know how to reach an agent. */
  protected defaultActions(err: unknown): string[] {
    if (exitCodeFor(err) === 5 && !process.env.ACCIO_DEBUG) return ['Run again with env ACCIO_DEBUG=1 to see where the error came from'];
    return [];
  }

  /** The error's own next steps, else the command's defaults for it. */
  private actionsFor(err: unknown): string[] {
    const own = actionsOf(err);
    return own.length > 0 ? own : this.defaultActions(err);
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    if (this.forceExitTimer) clearTimeout(this.forceExitTimer);
    this.io.status(undefined);
    // A command that stopped cleanly after Ctrl-C (the agent) still exits as interrupted.
    if (err === undefined && this.interruptedBy === 'SIGINT') process.exitCode = 130;
    await super.finally(err);
  }

  protected override toSuccessJson(result: unknown): SuccessEnvelope<unknown> {
    return { status: 0, result, warnings: this.warnings };
  }

  protected override toErrorJson(err: unknown): ErrorEnvelope {
    const e = err instanceof Error ? err : new Error(String(err));
    const issues = definitionErrors(err);
    const code = (err as { code?: unknown } | null)?.code;
    const data = err instanceof CommandFailedError ? err.data : issues.errors.length > 0 ? issues : undefined;
    return {
      status: exitCodeFor(err),
      name: e.name,
      message: e.message,
      ...(typeof code === 'string' && ERROR_CODES.has(code) ? { code } : {}),
      actions: this.actionsFor(err),
      ...(data === undefined ? {} : { data }),
      warnings: [...this.warnings, ...issues.warnings.map((w) => (w.path.length ? `${w.path.join('.')}: ${w.message}` : w.message))],
    };
  }
}

/** `--addr`: every command that talks to an agent takes it. */
export const addrFlag = Flags.string({
  summary: 'Address of the agent, host:port.',
  env: 'ACCIO_ADDR',
  default: DEFAULT_ADDR,
  helpGroup: 'GLOBAL',
  // Checked here so that a typo is a usage error (exit 1), not a failed connection.
  parse: async (input) => {
    const s = input.trim();
    if (!/^(\[[^\]]+\]|[^:[\]\s]+):\d{1,5}$/.test(s)) {
      throw new UsageError(`invalid agent address "${input}": expected host:port, such as 127.0.0.1:9999`);
    }
    return s;
  },
});

/** A command that talks to an agent: `--addr`, the client, and advice when the agent cannot be reached. */
export abstract class ClientCommand<T> extends AccioCommand<T> {
  static override baseFlags = { addr: addrFlag };

  private client?: CliClient;
  private addr = DEFAULT_ADDR;

  /** Opens the connection; it is closed when the command ends. */
  protected async connect(addr: string, options?: ConnectOptions): Promise<CliClient> {
    this.addr = addr;
    this.client = await clientFactory(addr, options);
    return this.client;
  }

  protected override defaultActions(err: unknown): string[] {
    if (!isUnreachable(err)) return super.defaultActions(err);
    return [
      `Is an agent running at ${this.addr}? Start one with: ${this.config.bin} agent`,
      `Or point the CLI at a running agent: --addr host:port or env ACCIO_ADDR`,
    ];
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    const client = this.client;
    this.client = undefined;
    try {
      await client?.close();
    } catch {
      // Closing a connection that already failed may throw again; the command's outcome stands.
    }
    await super.finally(err);
  }
}
