// The "Torrent Lens" output channel. Everything written here goes through redaction unless the user
// has asked to see secrets.
import * as vscode from 'vscode';
import { redactText } from '../core/privacy/redact';
import { showSecrets } from './settings';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  show(): void;
}

export function createLog(context: vscode.ExtensionContext): Log {
  const channel = vscode.window.createOutputChannel('Torrent Lens', { log: true });
  context.subscriptions.push(channel);
  const clean = (message: string) => (showSecrets() ? message : redactText(message));
  return {
    info: (message) => channel.info(clean(message)),
    warn: (message) => channel.warn(clean(message)),
    error: (message) => channel.error(clean(message)),
    debug: (message) => channel.debug(clean(message)),
    show: () => channel.show(true),
  };
}
