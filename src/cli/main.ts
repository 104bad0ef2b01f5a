// `torrent-lens`: the command-line tool over the same core as the extension. The entry point: it picks the
// subcommand (commands/), parses its arguments against its spec (args.ts) and runs it; a command reads its
// torrent through read-torrent.ts and prints through terminal.ts.
//
// Exit status: 0 success, 1 no tracker or peer answered (announce, scrape, magnet, peers), a file not edited (edit)
// or data that does not match (verify),
// 2 bad input or usage.
// Failures are one line on standard error, `error: …`, never a stack trace.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { visibleText } from '../core/text/display';
import { errorText } from '../shared/format';
import { commandHelp, parseArgs } from './args';
import { CliError, type CliIo, type Command, EXIT_BAD_INPUT, EXIT_OK } from './command';
import { editCommand } from './commands/edit';
import { magnetCommand } from './commands/magnet';
import { peersCommand } from './commands/peers';
import { createCommand } from './commands/create';
import { showCommand } from './commands/show';
import { announceCommand, scrapeCommand } from './commands/trackers';
import { verifyCommand } from './commands/verify';

/** The subcommands, in the order `--help` lists them. */
const COMMANDS: readonly Command[] = [
  showCommand,
  announceCommand,
  scrapeCommand,
  editCommand,
  createCommand,
  verifyCommand,
  magnetCommand,
  peersCommand,
];

/** The package version, from the package.json next to the bundle (dist/cli.js → ../package.json). */
function version(): string {
  try {
    const json = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof json.version === 'string' ? json.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    `torrent-lens ${version()}: inspect .torrent files byte-exactly and ask their trackers what they know`,
    '',
    'Usage: torrent-lens COMMAND [OPTIONS]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (torrent-lens COMMAND --help for a command)',
    '  -V, --version  show the version',
    '',
    'Exit status: 0 success, 1 no tracker or peer answered, a file not edited or data that does not match (verify),',
    '2 bad input or usage.',
    '',
  ].join('\n');
}

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit status. */
async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.err(mainHelp());
      return EXIT_BAD_INPUT;
    }
    if (first === '-h' || first === '--help' || first === 'help') {
      const named = first === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      io.out(named ? commandHelp(named) : mainHelp());
      return EXIT_OK;
    }
    if (first === '-V' || first === '--version') {
      io.out(`${version()}\n`);
      return EXIT_OK;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) {
      throw new CliError(
        first.startsWith('-')
          ? `unknown option '${visibleText(first)}' (see: torrent-lens --help)`
          : `unknown command '${visibleText(first)}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
      );
    }
    if (rest.includes('-h') || rest.includes('--help')) {
      const end = rest.indexOf('--');
      const helpAt = Math.max(rest.indexOf('-h'), rest.indexOf('--help'));
      if (end < 0 || helpAt < end) {
        io.out(commandHelp(command));
        return EXIT_OK;
      }
    }
    return await command.run(parseArgs(rest, command.spec, command.name), io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`error: ${error.message}\n`);
      return error.exitCode;
    }
    // A defect of ours, not of the input: still one line, still no stack trace unless asked for.
    io.err(`error: internal error: ${visibleText(errorText(error))}\n`);
    if (process.env.TORRENT_LENS_DEBUG && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    return EXIT_BAD_INPUT;
  }
}

// `torrent-lens show big.torrent | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
  throw error;
});
const io: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  errIsTerminal: process.stderr.isTTY === true,
};
void runCli(process.argv.slice(2), io).then((code) => {
  // Set, not exit(): pending output still reaches a pipe.
  process.exitCode = code;
});
