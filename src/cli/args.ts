// Command-line arguments: strict parsing against a command's spec (unknown options, missing or malformed
// values and extra arguments are usage errors, exit code 2) and the help text made from the same spec.

import { visibleText } from '../core/text/display';
import { CliError, type Command } from './command';

export type OptionType = 'boolean' | 'string' | 'integer';

export interface OptionSpec {
  type: OptionType;
  description: string;
  /** The value's name in help text, e.g. `URL`, `MS`. */
  placeholder?: string;
  /** May be given more than once; the values are collected in order. */
  multiple?: boolean;
  /** One-letter alias, e.g. `j` for `-j`. */
  short?: string;
  /** Values the option takes (default 1); a `string` option with 2 collects them in order, pair after pair. */
  arity?: 1 | 2;
}

export interface CommandSpec {
  /** Options by long name (without `--`). */
  options: Record<string, OptionSpec>;
  /** Names of the positional arguments, for messages and help, e.g. ['FILE']. */
  positionals: string[];
  /** How many positionals are required (the rest are optional). */
  required: number;
  /** The last positional may be given any number of times (`FILE…`). */
  variadic?: boolean;
}

export type OptionValue = boolean | string | number | string[] | number[];

export interface ParsedArgs {
  options: Record<string, OptionValue | undefined>;
  positionals: string[];
  /** Every option as given, in order: for options whose meaning depends on their place (`--tier`). */
  sequence: [name: string, value: boolean | string | number][];
}

/**
 * Parses `argv` strictly: unknown options, missing or malformed values and extra arguments are errors.
 * Accepts `--name value`, `--name=value`, `-x`, and `--` to end the options.
 */
export function parseArgs(argv: string[], spec: CommandSpec, command: string): ParsedArgs {
  const options: Record<string, OptionValue | undefined> = {};
  const positionals: string[] = [];
  const sequence: ParsedArgs['sequence'] = [];
  const byShort = new Map<string, string>();
  for (const [name, option] of Object.entries(spec.options)) if (option.short) byShort.set(option.short, name);
  const usageHint = `(see: torrent-lens ${command} --help)`;
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (eq >= 0) inline = arg.slice(eq + 1);
    } else {
      const long = arg.length === 2 ? byShort.get(arg[1]) : undefined;
      if (long === undefined) throw new CliError(`unknown option '${visibleText(arg)}' ${usageHint}`);
      name = long;
    }
    if (!Object.prototype.hasOwnProperty.call(spec.options, name))
      throw new CliError(`unknown option '--${visibleText(name)}' ${usageHint}`);
    const option = spec.options[name];
    let value: boolean | string | number;
    if (option.type === 'boolean') {
      if (inline !== undefined) throw new CliError(`option '--${name}' takes no value`);
      value = true;
    } else {
      let text = inline;
      if (text === undefined) {
        if (i + 1 >= argv.length) throw new CliError(`option '--${name}' needs a value (${option.placeholder ?? option.type})`);
        text = argv[++i];
      }
      if (option.type === 'integer') {
        if (!/^\d{1,15}$/.test(text)) throw new CliError(`option '--${name}' needs a whole number, not '${visibleText(text)}'`);
        value = Number(text);
      } else {
        value = text;
      }
    }
    if (option.arity === 2) {
      if (i + 1 >= argv.length) throw new CliError(`option '--${name}' needs two values (${option.placeholder ?? 'A B'})`);
      const pair = [value as string, argv[++i]];
      if (options[name] !== undefined && !option.multiple) throw new CliError(`option '--${name}' is given more than once`);
      options[name] = [...((options[name] as string[] | undefined) ?? []), ...pair];
      continue;
    }
    sequence.push([name, value]);
    if (option.multiple) {
      const list = (options[name] as (string | number)[] | undefined) ?? [];
      list.push(value as string | number);
      options[name] = list as OptionValue;
    } else {
      if (options[name] !== undefined) throw new CliError(`option '--${name}' is given more than once`);
      options[name] = value;
    }
  }
  if (positionals.length < spec.required) {
    throw new CliError(`missing ${spec.positionals.slice(positionals.length, spec.required).join(' ')} ${usageHint}`);
  }
  if (positionals.length > spec.positionals.length && !spec.variadic) {
    throw new CliError(`unexpected argument '${visibleText(positionals[spec.positionals.length])}' ${usageHint}`);
  }
  return { options, positionals, sequence };
}

/** The options part of a command's help text, one line per option. */
function optionsHelp(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'boolean' ? '' : ` ${option.placeholder ?? option.type.toUpperCase()}`}`;
    return [flag, option.description + (option.multiple ? ' (may be repeated)' : '')];
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`).join('\n');
}

/** `torrent-lens NAME --help`: the synopsis, the summary, the options and the command's own details. */
export function commandHelp(command: Command): string {
  return [
    `Usage: torrent-lens ${command.usage}`,
    '',
    command.summary,
    '',
    'Options:',
    optionsHelp(command.spec),
    '',
    ...(command.details ? [command.details, ''] : []),
  ].join('\n');
}
