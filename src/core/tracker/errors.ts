// A failed tracker request, classified the way the user sees it.
import type { RawValue, TrackerStatus } from './types';
import { errorText } from '../../shared/format';

export class TrackerFailure extends Error {
  override readonly name = 'TrackerFailure';
  constructor(
    readonly status: Exclude<TrackerStatus, 'working'>,
    message: string,
    /** The tracker's BEP 31 `retry in`, when a failure carried one. */
    readonly retryIn?: number | 'never',
    /** What the tracker sent, for the raw view, when it sent something that could not be used. */
    readonly raw?: RawValue,
  ) {
    super(message);
  }
}

export function cancelled(): TrackerFailure {
  return new TrackerFailure('cancelled', 'cancelled');
}

/** A network error from Node as a sentence and a status. */
export function describeNetworkError(error: unknown, host: string): TrackerFailure {
  if (error instanceof TrackerFailure) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = errorText(error);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return new TrackerFailure('unreachable', `could not resolve the host name "${host}" (${code})`);
    case 'ECONNREFUSED':
      return new TrackerFailure('unreachable', `connection refused by ${host} (nothing listens on that port)`);
    case 'ECONNRESET':
      return new TrackerFailure('unreachable', `the connection to ${host} was reset`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return new TrackerFailure('unreachable', `no route to ${host} (${code})`);
    case 'EPIPE':
      return new TrackerFailure('unreachable', `the connection to ${host} closed while sending`);
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER': {
      // OpenSSL's text is `…:SSL routines:function:reason:file:line:`; the reason is what a person can use.
      const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1] ?? firstLine(message);
      const hint = /wrong version number|packet length too long/.test(reason)
        ? ' (the server does not seem to speak HTTPS on that port)'
        : '';
      return new TrackerFailure('unreachable', `TLS handshake with ${host} failed: ${reason}${hint}`);
    }
  }
  if (/^(ERR_TLS_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_SSL_)/.test(code)) {
    return new TrackerFailure('unreachable', `TLS certificate of ${host} not accepted: ${firstLine(message)} (${code})`);
  }
  if (code.startsWith('HPE_')) return new TrackerFailure('tracker-error', `invalid HTTP answer from ${host}: ${firstLine(message)}`);
  return new TrackerFailure('unreachable', `${firstLine(message)}${code ? ` (${code})` : ''}`);
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
