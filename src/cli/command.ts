// What a `torrent-lens` subcommand is: its description and entry point (Command), where it writes (CliIo),
// how it fails (CliError) and the exit codes every command shares.

import type { CommandSpec, ParsedArgs } from './args';

export const EXIT_OK = 0;
/** Nothing answered: no tracker (announce, scrape), no peer with metadata (magnet) or its pieces (peers). */
export const EXIT_NO_ANSWER = 1;
/** Bad input or usage: unreadable or malformed file, unknown option. */
export const EXIT_BAD_INPUT = 2;

/** A failure to report as one line `error: MESSAGE` and an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_BAD_INPUT,
  ) {
    super(message);
  }
}

/** Where a command writes. Tests pass their own; the real CLI writes to stdout and stderr. */
export interface CliIo {
  /** Standard output: text, or UTF-8 bytes (large listings are written as bytes, a chunk at a time). */
  out(text: string | Uint8Array): void;
  err(text: string): void;
  /** Whether standard error is a terminal: commands that take a while show their progress there. */
  errIsTerminal?: boolean;
}

/**
 * A subcommand. `main.ts` lists them in its dispatch table, parses the arguments with `spec` (so help,
 * usage errors and exit code 2 are the same everywhere) and calls `run`, which returns the exit code.
 * Each lives in `commands/`.
 */
export interface Command {
  name: string;
  /** One line for `torrent-lens --help`. */
  summary: string;
  /** The synopsis after `torrent-lens `, e.g. `show FILE [--json] [--show-secrets]`. */
  usage: string;
  /** More help text for `torrent-lens NAME --help` (exit codes, what the output holds). */
  details?: string;
  spec: CommandSpec;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
