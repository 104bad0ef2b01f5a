// The "Torrent Lens" output channel. Every line is redacted as src/view-model/log-line.ts says: through
// the torrent's secrets when the line is about one (pass them), else by the rule every torrent's URLs
// follow; unless the user shows secrets, checked when the line is written.
import * as vscode from 'vscode';
import type { Secrets } from '../core/privacy/secrets';
import { logLine } from '../view-model/log-line';
import { showSecrets } from './settings';

export type LogLevel = 'info' | 'warn' | 'error' | 'debug';

export interface Log {
  /** `secrets`: the torrent's, made without `show`, when the line is about a torrent. */
  info(message: string, secrets?: Secrets): void;
  warn(message: string, secrets?: Secrets): void;
  error(message: string, secrets?: Secrets): void;
  debug(message: string, secrets?: Secrets): void;
  show(): void;
}

export function createLog(context: vscode.ExtensionContext): Log {
  const channel = vscode.window.createOutputChannel('Torrent Lens', { log: true });
  context.subscriptions.push(channel);
  const write = (level: LogLevel) => (message: string, secrets?: Secrets) => channel[level](logLine(message, showSecrets(), secrets));
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
    show: () => channel.show(true),
  };
}
