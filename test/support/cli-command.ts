// A CLI command run in-process, as main.ts runs it: its output collected, a CliError turned into the one line
// and the exit code main.ts would print and return.
import { parseArgs } from '../../src/cli/args';
import type { CliIo, Command } from '../../src/cli/command';

export async function runCommand(
  command: Command,
  argv: string[],
  options: { errIsTerminal?: boolean } = {},
): Promise<{ code: number; out: string; err: string; outBytes: Uint8Array[] }> {
  let out = '';
  let err = '';
  const outBytes: Uint8Array[] = [];
  const io: CliIo = {
    out: (t) => {
      if (typeof t === 'string') out += t;
      else outBytes.push(t.slice());
    },
    err: (t) => void (err += t),
    errIsTerminal: options.errIsTerminal,
  };
  try {
    return { code: await command.run(parseArgs(argv, command.spec, command.name), io), out, err, outBytes };
  } catch (error) {
    const e = error as { message: string; exitCode?: number };
    if (e.exitCode === undefined) throw error;
    return { code: e.exitCode, out, err: `error: ${e.message}\n`, outBytes };
  }
}
