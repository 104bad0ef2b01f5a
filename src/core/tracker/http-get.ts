// One bounded HTTP(S) GET for tracker requests, over node:http/node:https.
//
// Why not fetch: in the VS Code extension host, VS Code's proxy support patches node:http and node:https,
// so requests made here follow the user's `http.proxy` settings. The rest is about hostile servers:
// one deadline for the whole exchange (connect, redirects, reading), a cap on the answer's size enforced
// while it streams in (the download is aborted, nothing grows), a redirect limit, no redirects to other
// schemes, and cancellation.
import * as http from 'node:http';
import * as https from 'node:https';
import * as zlib from 'node:zlib';
import { TrackerFailure, cancelled, describeNetworkError } from './errors';
import { formatCount } from '../../shared/format';
import { timerDelay } from './options';
import type { Attempt } from './types';

export interface HttpGetOptions {
  /** Absolute time (Date.now()) by which the whole exchange must be done. */
  deadline: number;
  /** The deadline as the user set it, for messages. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  signal?: AbortSignal;
  /** Receives one entry per request sent (redirects included). */
  attempts: Attempt[];
  /** Time the tracker's request began, for `Attempt.atMs`. */
  startedAt: number;
  log?: (level: 'info' | 'debug' | 'warn', message: string) => void;
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  body: Uint8Array;
  /** The URL that answered (after redirects). */
  url: string;
  contentType?: string;
  /** The `Retry-After` header, as sent. */
  retryAfter?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpAnswer> {
  const seen = new Set<string>();
  let current = url;
  for (let redirects = 0; ; redirects++) {
    seen.add(current);
    const answer = await requestOnce(current, options);
    if (!('location' in answer)) return answer;
    let next: URL;
    try {
      next = new URL(answer.location, current);
    } catch {
      throw new TrackerFailure('tracker-error', `HTTP ${answer.status} redirect to an invalid location "${answer.location}"`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new TrackerFailure(
        'tracker-error',
        `HTTP ${answer.status} redirect to a ${next.protocol} URL refused: trackers are only followed to http: and https: (${next.href})`,
      );
    }
    next.hash = '';
    if (seen.has(next.href)) throw new TrackerFailure('tracker-error', `redirect loop: ${current} redirects back to ${next.href}`);
    if (redirects + 1 > options.maxRedirects)
      throw new TrackerFailure('tracker-error', `too many redirects (more than ${options.maxRedirects}); the last pointed to ${next.href}`);
    current = next.href;
  }
}

type Once = HttpAnswer | { status: number; location: string };

function requestOnce(url: string, options: HttpGetOptions): Promise<Once> {
  return new Promise<Once>((resolve, reject) => {
    const sentAt = Date.now();
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new TrackerFailure('not-contacted', 'not a valid URL'));
      return;
    }
    const host = parsed.host;
    const attempt: Attempt = { step: 'GET', target: url, atMs: sentAt - options.startedAt, waitedMs: 0, outcome: 'sent' };
    options.attempts.push(attempt);
    if (options.signal?.aborted) {
      attempt.outcome = 'cancelled before sending';
      reject(cancelled());
      return;
    }
    const remaining = options.deadline - sentAt;
    if (remaining <= 0) {
      attempt.outcome = 'not sent: no time left';
      reject(new TrackerFailure('timed-out', `timed out after ${formatCount(options.timeoutMs)} ms`));
      return;
    }

    let phase: 'connecting' | 'waiting for the answer' | 'reading the answer' = 'connecting';
    let received = 0;
    let settled = false;
    const finish = (outcome: string, result: Once | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      attempt.waitedMs = Date.now() - sentAt;
      attempt.outcome = outcome;
      if (result instanceof Error) {
        request.destroy();
        reject(result);
      } else resolve(result);
    };

    const module = parsed.protocol === 'https:' ? https : http;
    let request: http.ClientRequest;
    try {
      request = module.request(parsed, {
        method: 'GET',
        headers: { 'User-Agent': options.userAgent, 'Accept-Encoding': 'gzip', Connection: 'close' },
      });
      // One request per connection: trackers such as opentracker close the socket after answering without
      // saying so, and a pooled socket reused for the next announce would fail with "socket hang up".
      request.shouldKeepAlive = false;
    } catch (error) {
      attempt.outcome = 'not sent';
      reject(new TrackerFailure('not-contacted', `the request could not be made: ${(error as Error).message}`));
      return;
    }
    options.log?.('debug', `GET ${url}`);

    const timer = setTimeout(() => {
      const detail = phase === 'reading the answer' ? ` (${formatCount(received)} bytes received)` : '';
      finish(
        `timed out while ${phase}`,
        new TrackerFailure('timed-out', `timed out after ${formatCount(options.timeoutMs)} ms while ${phase}${detail}`),
      );
    }, timerDelay(remaining));
    const onAbort = () => finish('cancelled', cancelled());
    options.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('socket', (socket) => {
      const connected = () => {
        if (phase === 'connecting') phase = 'waiting for the answer';
      };
      if (!socket.connecting) connected();
      socket.once(parsed.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    request.on('error', (error) => {
      const failure = describeNetworkError(error, host);
      finish(failure.message, failure);
    });
    request.on('response', (response) => {
      phase = 'reading the answer';
      const status = response.statusCode ?? 0;
      const statusText = response.statusMessage ?? '';
      const location = response.headers.location;
      if (REDIRECTS.has(status) && location) {
        response.resume();
        finish(`HTTP ${status} → ${location}`, { status, location });
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        finish(
          `HTTP ${status}, refused: ${formatCount(declared)} bytes announced`,
          new TrackerFailure(
            'tracker-error',
            `the answer is too large: ${formatCount(declared)} bytes announced, more than the ${formatCount(options.maxBytes)}-byte limit`,
          ),
        );
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > options.maxBytes) {
          finish(
            `HTTP ${status}, aborted after ${formatCount(received)} bytes`,
            new TrackerFailure(
              'tracker-error',
              `the answer is too large: more than the ${formatCount(options.maxBytes)}-byte limit (download aborted after ${formatCount(received)} bytes)`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) => {
        const failure = describeNetworkError(error, host);
        finish(failure.message, failure);
      });
      response.on('aborted', () => {
        finish(
          'connection closed mid-answer',
          new TrackerFailure(
            'tracker-error',
            `the connection closed before the answer was complete (${formatCount(received)} bytes received)`,
          ),
        );
      });
      response.on('end', () => {
        let body: Uint8Array = Buffer.concat(chunks);
        const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
        if (encoding === 'gzip' || encoding === 'deflate' || encoding === 'x-gzip') {
          try {
            const opts = { maxOutputLength: options.maxBytes };
            body = encoding === 'deflate' ? inflateEither(body, opts) : zlib.gunzipSync(body, opts);
          } catch (error) {
            const tooLarge = error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
            finish(
              `HTTP ${status}, ${encoding} answer not decompressed`,
              new TrackerFailure(
                'tracker-error',
                tooLarge
                  ? `the answer is too large once decompressed: more than the ${formatCount(options.maxBytes)}-byte limit`
                  : `the ${encoding} answer could not be decompressed: ${(error as Error).message}`,
              ),
            );
            return;
          }
        }
        const contentType = response.headers['content-type'];
        const retryAfter = response.headers['retry-after'];
        finish(`HTTP ${status} ${statusText}, ${formatCount(body.length)} bytes`.replace('  ', ' '), {
          status,
          statusText,
          body,
          url,
          contentType,
          retryAfter,
        });
      });
    });
    request.end();
  });
}

/** `deflate` is zlib-wrapped by the standard and raw by some servers; accept both. */
function inflateEither(body: Uint8Array, options: zlib.ZlibOptions): Buffer {
  try {
    return zlib.inflateSync(body, options);
  } catch (error) {
    if (error instanceof RangeError) throw error;
    return zlib.inflateRawSync(body, options);
  }
}
