// What every `torrent-lens` subcommand shares: strict argument parsing, reading and parsing a torrent
// with the standard one-line failure, JSON for standard output, and secret redaction. Text from a torrent
// or a tracker is made safe to print by the core's display sanitiser (src/core/text/display.ts).

import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { visibleJson, visibleText } from '../core/text/display';
import { parseMetainfoAsync } from '../core/metainfo/parse';
import type { Metainfo } from '../core/metainfo/types';
import { redactText, redactUrl } from '../core/privacy/redact';

export const EXIT_OK = 0;
/** Reserved for the tracker commands: no tracker answered. */
export const EXIT_NO_ANSWER = 1;
/** Bad input or usage: unreadable or malformed file, unknown option. */
export const EXIT_BAD_INPUT = 2;

/** Larger than any real torrent (libtorrent refuses more than 80 MB); bounds what a command reads. */
export const MAX_TORRENT_BYTES = 256 * 1024 * 1024;

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
}

/**
 * A subcommand. `main.ts` lists them in its dispatch table, parses the arguments with `spec` (so help,
 * usage errors and exit code 2 are the same everywhere) and calls `run`, which returns the exit code.
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

// -------------------------------------------------------------------------------------------------------
// Arguments

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
}

export interface CommandSpec {
  /** Options by long name (without `--`). */
  options: Record<string, OptionSpec>;
  /** Names of the positional arguments, for messages and help, e.g. ['FILE']. */
  positionals: string[];
  /** How many positionals are required (the rest are optional). */
  required: number;
}

export type OptionValue = boolean | string | number | string[] | number[];

export interface ParsedArgs {
  options: Record<string, OptionValue | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` strictly: unknown options, missing or malformed values and extra arguments are errors.
 * Accepts `--name value`, `--name=value`, `-x`, and `--` to end the options.
 */
export function parseArgs(argv: string[], spec: CommandSpec, command: string): ParsedArgs {
  const options: Record<string, OptionValue | undefined> = {};
  const positionals: string[] = [];
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
  if (positionals.length > spec.positionals.length) {
    throw new CliError(`unexpected argument '${visibleText(positionals[spec.positionals.length])}' ${usageHint}`);
  }
  return { options, positionals };
}

/** The options part of a command's help text, one line per option. */
export function optionsHelp(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'boolean' ? '' : ` ${option.placeholder ?? option.type.toUpperCase()}`}`;
    return [flag, option.description + (option.multiple ? ' (may be repeated)' : '')];
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`).join('\n');
}

// -------------------------------------------------------------------------------------------------------
// Reading torrents

/** A file path or `-` (standard input) as it should appear in messages. */
export function displayPath(file: string): string {
  return file === '-' ? '<stdin>' : visibleText(file);
}

/** The one-line error for a torrent that could not be read: `FILE: MESSAGE (at byte N)`. */
export function torrentError(file: string, message: string, offset?: number): CliError {
  return new CliError(`${displayPath(file)}: ${visibleText(message)}${offset === undefined ? '' : ` (at byte ${offset})`}`);
}

/** Reads a whole file (or standard input for `-`), refusing directories and anything over MAX_TORRENT_BYTES. */
export async function readTorrentFile(file: string, maxBytes = MAX_TORRENT_BYTES): Promise<Uint8Array> {
  if (file === '-') return readStream(process.stdin, file, maxBytes);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw torrentError(file, describeFsError(error));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw torrentError(file, 'is a directory, not a torrent file');
    if (stat.isFile() && stat.size > maxBytes)
      throw torrentError(
        file,
        `is ${stat.size.toLocaleString('en-US')} bytes, too large to be a torrent (at most ${maxBytes.toLocaleString('en-US')})`,
      );
    // A regular file is read in one go, synchronously: the command has nothing else to do meanwhile,
    // and a 30 MB torrent reads in one system call instead of dozens of thread-pool round trips.
    if (stat.isFile() && stat.size > 0) return readWhole(fd, stat.size);
    // A pipe, a device, or a file whose size is not known up front: read it as a stream, still bounded.
    return await readStream(createReadStream('', { fd, autoClose: false }), file, maxBytes);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw torrentError(file, describeFsError(error));
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Nothing useful to report: the bytes are read.
    }
  }
}

/** Reads `size` bytes from the start of a regular file (fewer if it shrank meanwhile). */
function readWhole(fd: number, size: number): Uint8Array {
  const bytes = new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
  let at = 0;
  while (at < size) {
    const n = readSync(fd, bytes, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return at === size ? bytes : bytes.subarray(0, at);
}

async function readStream(stream: AsyncIterable<Uint8Array | string>, file: string, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    total += bytes.length;
    if (total > maxBytes) throw torrentError(file, `is more than ${maxBytes.toLocaleString('en-US')} bytes, too large to be a torrent`);
    chunks.push(bytes);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a torrent file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    default:
      return `cannot read the file${code ? ` (${code})` : ''}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Reads and parses a torrent; a file that cannot be read or parsed becomes the standard one-line error. */
export async function loadTorrent(file: string): Promise<Metainfo> {
  const result = await parseMetainfoAsync(await readTorrentFile(file));
  if (!result.ok) throw torrentError(file, result.failure.message, result.failure.offset);
  return result.metainfo;
}

// -------------------------------------------------------------------------------------------------------
// Output

/** JSON for standard output: JSON.stringify's text with C1, bidirectional and invisible characters escaped too. */
export function terminalJson(value: unknown, indent = 2): string {
  return visibleJson(JSON.stringify(value, null, indent));
}

/** A tracker or web seed URL with its secrets redacted, unless `showSecrets`. */
export function redactedUrl(url: string, showSecrets: boolean): string {
  return showSecrets ? url : redactUrl(url);
}

/** Free text that may quote URLs (diagnostics, tracker messages) with their secrets redacted, unless `showSecrets`. */
export function redactedText(text: string, showSecrets: boolean): string {
  return showSecrets ? text : redactText(text);
}

/** Sizes as people read them, in binary units: `1.50 MiB`. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

/** `1,234,567`. Grouped by hand: a process's first toLocaleString loads ICU's locale data (about 10 ms). */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** Output chunks: large enough that a listing of 100,000 files is a handful of writes. */
const OUTPUT_CHUNK_BYTES = 1 << 20;
const utf8Encoder = new TextEncoder();

/**
 * Standard output built as UTF-8 bytes and handed on in large chunks, so a long listing costs no
 * string per line. A chunk is never reused once handed on: a write may still hold it.
 */
export class ByteOutput {
  private chunk = new Uint8Array(OUTPUT_CHUNK_BYTES);
  /** Bytes used in `chunk`. */
  length = 0;

  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  /** Makes room for `n` more bytes in the current chunk. */
  reserve(n: number): Uint8Array {
    if (this.length + n > this.chunk.length) {
      this.flush();
      if (n > this.chunk.length) this.chunk = new Uint8Array(n);
    }
    return this.chunk;
  }

  byte(value: number): void {
    this.reserve(1)[this.length++] = value;
  }

  /** Bytes, copied one by one: for the short fragments a listing repeats, cheaper than `set`. */
  bytes(bytes: Uint8Array): void {
    this.length = putBytes(this.reserve(bytes.length), this.length, bytes);
  }

  /** A number as `String(n)` writes it; whole numbers are written digit by digit, without a string. */
  number(n: number): void {
    if (Number.isSafeInteger(n) && n >= 0) this.length = putDigits(this.reserve(16), this.length, n);
    else this.ascii(String(n));
  }

  /** Text that is ASCII only (numbers, fixed words). */
  ascii(text: string): void {
    const chunk = this.reserve(text.length);
    let at = this.length;
    for (let i = 0; i < text.length; i++) chunk[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Any text, as UTF-8. */
  text(text: string): void {
    if (text.length === 0) return;
    const chunk = this.reserve(text.length * 3);
    this.length += utf8Encoder.encodeInto(text, chunk.subarray(this.length)).written;
  }

  /** Hands what is buffered to the sink. */
  flush(): void {
    if (this.length === 0) return;
    this.sink(this.chunk.subarray(0, this.length));
    this.chunk = new Uint8Array(OUTPUT_CHUNK_BYTES);
    this.length = 0;
  }
}

/** Copies a short fragment into `chunk` at `at`; returns the position after it. */
export function putBytes(chunk: Uint8Array, at: number, fragment: Uint8Array): number {
  for (let j = 0; j < fragment.length; j++) chunk[at++] = fragment[j];
  return at;
}

/** Writes a safe, non-negative whole number (at most 16 digits) in decimal at `at`; returns the position after it. */
export function putDigits(chunk: Uint8Array, at: number, n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  const end = at + digits;
  let rest = n;
  let p = end;
  do {
    const next = Math.floor(rest / 10);
    chunk[--p] = 0x30 + (rest - next * 10);
    rest = next;
  } while (rest > 0);
  return end;
}

/** A fixed ASCII fragment as bytes, for ByteOutput.bytes. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Runs `write` over a ByteOutput and returns what it wrote as one string (tests, small outputs). */
export function collectOutput(write: (out: ByteOutput) => void): string {
  const chunks: Uint8Array[] = [];
  const out = new ByteOutput((bytes) => chunks.push(bytes));
  write(out);
  out.flush();
  return Buffer.concat(chunks).toString('utf8');
}
