/** Streams an http(s) URL to a local file with Node's fetch. */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { AccioError, UnavailableError } from '../../core/errors';

/**
 * The URL without its query string and credentials, which may hold secrets (pre-signed URLs):
 * error messages name this form.
 */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}

/**
 * Downloads `url` to `destFile`. A non-2xx status is an error naming the URL and status: 404/410
 * NOT_FOUND, 408/429/5xx UNAVAILABLE (retryable), others INVALID. The transfer is aborted when no
 * byte arrives for `idleTimeoutMs`.
 */
export async function downloadHttp(url: URL, destFile: string, idleTimeoutMs: number): Promise<void> {
  const shown = displayUrl(url);
  const aborter = new AbortController();
  const timer = setTimeout(() => aborter.abort(), idleTimeoutMs);
  try {
    const response = await fetch(url, { signal: aborter.signal, redirect: 'follow' }).catch((err: unknown) => {
      throw unreachable(shown, err, aborter.signal.aborted, idleTimeoutMs);
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw statusError(shown, response.status, response.statusText);
    }
    if (!response.body) throw new AccioError('INVALID', `GET ${shown}: response has no body`);
    const body = Readable.fromWeb(response.body as ReadableStream<Uint8Array>);
    body.on('data', () => timer.refresh());
    await pipeline(body, createWriteStream(destFile, { flags: 'wx' })).catch((err: unknown) => {
      throw unreachable(shown, err, aborter.signal.aborted, idleTimeoutMs);
    });
  } finally {
    clearTimeout(timer);
  }
}

function statusError(shown: string, status: number, statusText: string): AccioError {
  const message = `GET ${shown} failed: HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  if (status === 404 || status === 410) return new AccioError('NOT_FOUND', message, { actions: ['Check the URL.'] });
  if (status === 408 || status === 429 || status >= 500) return new UnavailableError(message);
  return new AccioError('INVALID', message);
}

function unreachable(shown: string, err: unknown, timedOut: boolean, idleTimeoutMs: number): AccioError {
  if (err instanceof AccioError) return err;
  if (timedOut) return new UnavailableError(`GET ${shown}: no data for ${idleTimeoutMs} ms`, { cause: err });
  // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND) in `cause`.
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (err as Error).message;
  return new UnavailableError(`GET ${shown} failed: ${detail}`, { cause: err });
}
