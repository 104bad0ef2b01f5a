// `torrent-lens edit FILE…`: change the trackers, web seeds, comment, creator and date of torrents (and, when asked
// for, the private flag and source, which make a new info hash), keeping every byte that was not asked to change.
// The edits are the core's (src/core/edit); each file is read, edited and written atomically on its own, so one
// that cannot be edited leaves the others as they are.

import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BencodeDocument } from '../../core/bencode/decode';
import { applyEdits } from '../../core/edit/apply';
import { FileWriteError, syncFolder, writeFileAtomic } from '../../core/edit/atomic-write';
import { trackerPlaces } from '../../core/edit/trackers';
import { EditError, type EditChange, type TorrentEdit } from '../../core/edit/types';
import { trackerUrlProblem, webSeedUrlProblem } from '../../core/edit/validate';
import { parseMetainfoAsync } from '../../core/metainfo/parse';
import type { InfoHashes, Metainfo } from '../../core/metainfo/types';
import { Secrets } from '../../core/privacy/secrets';
import { visibleJson, visibleText } from '../../core/text/display';
import { errorText } from '../../shared/format';
import type { ParsedArgs } from '../args';
import { CliError, type CliIo, type Command, EXIT_OK } from '../command';
import { displayPath, readTorrentFile } from '../read-torrent';

/** Some file could not be edited or written; the others were. */
const EXIT_SOME_FAILED = 1;

export const editCommand: Command = {
  name: 'edit',
  summary: 'change trackers, web seeds, comment and dates of torrents, keeping every other byte and the info hash',
  usage: 'edit FILE… (--in-place | -o OUT | --dry-run) EDIT… [--json]',
  details: [
    'Edits, applied to each FILE in this order: --remove-tracker, --replace-tracker, --add-tracker, --remove-web-seed,',
    '--add-web-seed, --comment/--no-comment, --created-by, --creation-date, --private/--public, --source.',
    'Only the bytes of what is edited change: the info dictionary keeps its bytes, and so the info hash, also when it',
    'is not canonical bencode. --private, --public and --source edit the info dictionary: the torrent gets a new info',
    'hash (a new swarm), so they are refused unless --new-hash is given.',
    'As transmission-edit does: a tracker added without --tier gets a tier of its own at the end; a torrent with only',
    "'announce' that gets a second tracker gains an 'announce-list' whose first tier is the 'announce' URL; a tier",
    "left empty goes; 'announce' follows the first tracker; --replace-tracker replaces the first occurrence of OLD",
    'in each tracker URL. Tiers are numbered from 1, as show lists them.',
    'Files are written atomically (a temporary file in the same folder, then a rename) and keep their mode.',
    'Tracker passkeys and other secrets in URLs are shown as [redacted] unless --show-secrets is given.',
    'Exit status: 0 when every file was written or had nothing to change, 1 when some could not be edited or',
    'written (each is named on standard error), 2 on bad usage (then no file is touched).',
  ].join('\n'),
  spec: {
    options: {
      'in-place': { type: 'boolean', description: 'write each edited file over itself' },
      output: {
        type: 'string',
        short: 'o',
        placeholder: 'OUT',
        description: 'write the result to OUT (a folder when several files are given), also when nothing changed',
      },
      'dry-run': { type: 'boolean', description: 'say what would change, write nothing' },
      'add-tracker': { type: 'string', placeholder: 'URL', multiple: true, description: 'add a tracker (http, https, udp, ws, wss)' },
      tier: {
        type: 'integer',
        placeholder: 'N',
        description: 'add the trackers of --add-tracker to tier N (from 1) instead of a tier of their own each',
      },
      'remove-tracker': { type: 'string', placeholder: 'URL', multiple: true, description: 'remove a tracker wherever it is listed' },
      'replace-tracker': {
        type: 'string',
        placeholder: 'OLD NEW',
        arity: 2,
        multiple: true,
        description: 'replace the text OLD with NEW in every tracker URL that contains it',
      },
      'add-web-seed': { type: 'string', placeholder: 'URL', multiple: true, description: "add a web seed (BEP 19 'url-list')" },
      'remove-web-seed': { type: 'string', placeholder: 'URL', multiple: true, description: 'remove a web seed' },
      comment: { type: 'string', placeholder: 'TEXT', description: 'set the comment' },
      'no-comment': { type: 'boolean', description: 'remove the comment' },
      'created-by': { type: 'string', placeholder: 'TEXT', description: "set 'created by'" },
      'creation-date': {
        type: 'string',
        placeholder: 'DATE',
        description: 'set the creation date: YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM] (UTC unless a zone is given), seconds, now, or none',
      },
      private: { type: 'boolean', description: 'make the torrent private (BEP 27): a new info hash, needs --new-hash' },
      public: { type: 'boolean', description: 'make the torrent public: a new info hash, needs --new-hash' },
      source: { type: 'string', placeholder: 'TEXT', description: "set the info dictionary's source: a new info hash, needs --new-hash" },
      'new-hash': { type: 'boolean', description: 'allow edits that change the info hash' },
      json: { type: 'boolean', description: 'print one JSON object: per file, the info hashes before and after and the changes' },
      'show-secrets': { type: 'boolean', description: 'show tracker passkeys and other secrets in URLs' },
    },
    positionals: ['FILE'],
    required: 1,
    variadic: true,
  },
  run: runEdit,
};

/** What the options ask of every file. */
interface EditPlan {
  removeTrackers: string[];
  replaceTrackers: [find: string, replace: string][];
  addTrackers: string[];
  /** 1-based tier, as `show` lists them. */
  tier: number | undefined;
  removeWebSeeds: string[];
  addWebSeeds: string[];
  /** The edits after the trackers, the same for every file. */
  fieldEdits: TorrentEdit[];
  /** Whether an edit may make the torrent private (then its URLs are secret throughout). */
  mayBePrivate: boolean;
}

interface Target {
  file: string;
  /** Where the result goes; undefined for a dry run. */
  output: string | undefined;
}

type FileStatus = 'written' | 'unchanged' | 'dry-run' | 'failed';

interface FileReport {
  file: string;
  output: string | null;
  status: FileStatus;
  error: string | null;
  changed: boolean;
  infoHash: { before: HashJson | null; after: HashJson | null };
  infoHashChanged: boolean;
  changes: ShownEditChange[];
  notes: string[];
  secretsRedacted: boolean;
}

/** A change as shown: `hiddenPartOnly` when, redacted, before and after look the same (a passkey swapped). */
type ShownEditChange = EditChange & { hiddenPartOnly?: true };

interface HashJson {
  v1: string | null;
  v2: string | null;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);

/** Files edited at once, so that one file's reads, flushes and renames overlap another's. */
const CONCURRENT_FILES = 8;
/** Bytes of torrents held at once: several large torrents do not add up; one larger than this is edited alone. */
const BYTES_IN_FLIGHT = 64 * 1024 * 1024;

async function runEdit(args: ParsedArgs, io: CliIo): Promise<number> {
  const options = args.options;
  const plan = editPlan(args);
  const targets = outputTargets(args);
  const showSecrets = options['show-secrets'] === true;
  const reports: FileReport[] = new Array<FileReport>(targets.length);
  const budget = new ByteBudget(BYTES_IN_FLIGHT);
  const written = new Set<string>();
  let next = 0;
  let shown = 0;
  // Reports are printed in the order the files were given, each as soon as those before it are done.
  const show = () => {
    for (; shown < targets.length && reports[shown] !== undefined; shown++) {
      const report = reports[shown];
      if (report.error !== null) io.err(`error: ${displayPath(report.file)}: ${report.error}\n`);
      if (options.json !== true) io.out(reportText(report));
    }
  };
  const worker = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const size = fileSize(targets[i].file);
      const held = await budget.take(size);
      try {
        reports[i] = await editFile(targets[i], plan, showSecrets, written);
      } finally {
        budget.give(held);
      }
      show();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_FILES, targets.length) }, worker));
  // Each file was renamed into place whole; flushing each folder once makes the renames survive a power cut.
  await Promise.all([...written].map((dir) => syncFolder(dir)));
  if (options.json === true) io.out(`${visibleJson(JSON.stringify({ dryRun: options['dry-run'] === true, files: reports }, null, 2))}\n`);
  return reports.some((r) => r.status === 'failed') ? EXIT_SOME_FAILED : EXIT_OK;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // reading it fails and says why
  }
}

/** Bytes that may be held at once; a request larger than the whole budget waits until nothing else is held. */
class ByteBudget {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async take(bytes: number): Promise<number> {
    const wanted = Math.min(bytes, this.limit);
    while (this.used > 0 && this.used + wanted > this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.used += wanted;
    return wanted;
  }

  give(bytes: number): void {
    this.used -= bytes;
    for (const wake of this.waiting.splice(0)) wake();
  }
}

/** The edits the options ask for, checked before any file is touched. */
function editPlan(args: ParsedArgs): EditPlan {
  const o = args.options;
  const given = (name: string) => o[name] !== undefined;
  const urls = [...list(o['add-tracker']), ...list(o['remove-tracker']), ...list(o['add-web-seed']), ...list(o['remove-web-seed'])];
  // A URL in a usage error is shown as any torrent's would be: its passkey hidden.
  const secrets = Secrets.forTorrent({ trackers: [urls] }, { show: o['show-secrets'] === true });
  for (const url of list(o['add-tracker'])) {
    const problem = trackerUrlProblem(url);
    if (problem) throw new CliError(`--add-tracker '${visibleText(secrets.redactUrl(url))}': ${problem}`);
  }
  for (const url of list(o['add-web-seed'])) {
    const problem = webSeedUrlProblem(url);
    if (problem) throw new CliError(`--add-web-seed '${visibleText(secrets.redactUrl(url))}': ${problem}`);
  }
  const pairs = list(o['replace-tracker']);
  const replaceTrackers: [string, string][] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    if (pairs[i] === '') throw new CliError('--replace-tracker: the text to replace (OLD) is empty');
    replaceTrackers.push([pairs[i], pairs[i + 1]]);
  }
  if (given('tier')) {
    if (!given('add-tracker')) throw new CliError('--tier says where --add-tracker puts its trackers; give --add-tracker too');
    if (o.tier === 0) throw new CliError('--tier counts from 1 (the first tier)');
  }
  for (const [a, b] of [
    ['comment', 'no-comment'],
    ['private', 'public'],
  ]) {
    if (given(a) && given(b)) throw new CliError(`--${a} and --${b} contradict each other`);
  }
  const fieldEdits: TorrentEdit[] = [];
  if (given('comment')) fieldEdits.push({ kind: 'set-comment', text: o.comment as string });
  if (given('no-comment')) fieldEdits.push({ kind: 'set-comment', text: null });
  if (given('created-by')) fieldEdits.push({ kind: 'set-created-by', text: o['created-by'] as string });
  if (given('creation-date')) fieldEdits.push({ kind: 'set-creation-date', seconds: parseCreationDate(o['creation-date'] as string) });
  const hashChanging = (['private', 'public', 'source'] as const).filter(given);
  if (hashChanging.length > 0 && !given('new-hash')) {
    throw new CliError(
      `${hashChanging.map((name) => `--${name}`).join(' and ')} ${hashChanging.length === 1 ? 'edits' : 'edit'} the info dictionary: the torrent gets a new info hash, so it is a new swarm without the old one's peers. Give --new-hash to do it`,
    );
  }
  if (given('private')) fieldEdits.push({ kind: 'set-private', private: true });
  if (given('public')) fieldEdits.push({ kind: 'set-private', private: false });
  if (given('source')) fieldEdits.push({ kind: 'set-source', text: o.source as string });
  const plan: EditPlan = {
    removeTrackers: list(o['remove-tracker']),
    replaceTrackers,
    addTrackers: list(o['add-tracker']),
    tier: given('tier') ? (o.tier as number) : undefined,
    removeWebSeeds: list(o['remove-web-seed']),
    addWebSeeds: list(o['add-web-seed']),
    fieldEdits,
    mayBePrivate: given('private'),
  };
  const count =
    plan.removeTrackers.length +
    plan.replaceTrackers.length +
    plan.addTrackers.length +
    plan.removeWebSeeds.length +
    plan.addWebSeeds.length +
    fieldEdits.length;
  if (count === 0)
    throw new CliError('nothing to do: give an edit, such as --add-tracker URL or --comment TEXT (see: torrent-lens edit --help)');
  return plan;
}

/** `now`, `none`, seconds since 1970, or an ISO 8601 date (UTC unless it names a zone). */
export function parseCreationDate(text: string): number | null {
  if (text === 'none') return null;
  if (text === 'now') return Math.floor(Date.now() / 1000);
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
  if (m) {
    const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((part) => Number(part ?? 0));
    let offsetMinutes = 0;
    const zone = m[7];
    if (zone && zone.toUpperCase() !== 'Z') {
      const digits = zone.replace(':', '');
      offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    }
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    const check = new Date(ms);
    // Date.UTC rolls 2024-02-30 over into March: a date that does not exist is refused instead.
    if (check.getUTCMonth() === month - 1 && check.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 && year >= 1970) {
      const seconds = ms / 1000 - offsetMinutes * 60;
      if (seconds >= 0) return seconds;
    }
  }
  throw new CliError(
    `--creation-date '${visibleText(text)}' is not a date: give YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ, seconds since 1970, now or none`,
  );
}

/** Each file with where its result goes, checked before anything is written. */
function outputTargets(args: ParsedArgs): Target[] {
  const o = args.options;
  const files = args.positionals;
  if (files.includes('-')) throw new CliError('edit works on files: FILE cannot be - (standard input)');
  const inPlace = o['in-place'] === true;
  const output = o.output as string | undefined;
  const dryRun = o['dry-run'] === true;
  if (inPlace && output !== undefined) throw new CliError('--in-place and -o contradict each other: give one');
  if (dryRun) return files.map((file) => ({ file, output: undefined }));
  if (inPlace) return files.map((file) => ({ file, output: file }));
  if (output === undefined) throw new CliError('say where to write: --in-place, -o OUT, or --dry-run to only show what would change');
  const isFolder = (() => {
    try {
      return statSync(output).isDirectory();
    } catch {
      return false;
    }
  })();
  if (files.length > 1 && !isFolder)
    throw new CliError(`-o '${visibleText(output)}' must be an existing folder when several files are given`);
  const targets = files.map((file) => ({ file, output: isFolder ? path.join(output, path.basename(file)) : output }));
  const seen = new Set<string>();
  for (const target of targets) {
    const key = path.resolve(target.output);
    if (seen.has(key)) throw new CliError(`two files would be written to '${visibleText(target.output)}'`);
    seen.add(key);
  }
  return targets;
}

/** The first round of edits: removals and replacements of trackers. */
function trackerRemovals(plan: EditPlan): TorrentEdit[] {
  return [
    ...plan.removeTrackers.map((url): TorrentEdit => ({ kind: 'remove-tracker', url })),
    ...plan.replaceTrackers.map(([find, replace]): TorrentEdit => ({ kind: 'replace-in-trackers', find, replace })),
  ];
}

/** The second round: additions (into the tier that --tier names once the removals are made), web seeds, fields. */
function additionsAndFields(plan: EditPlan, doc: BencodeDocument): TorrentEdit[] {
  const tier = plan.tier === undefined || plan.addTrackers.length === 0 ? undefined : listedTier(doc, plan.tier);
  return [
    ...plan.addTrackers.map((url): TorrentEdit => ({ kind: 'add-tracker', url, tier })),
    ...plan.removeWebSeeds.map((url): TorrentEdit => ({ kind: 'remove-web-seed', url })),
    ...plan.addWebSeeds.map((url): TorrentEdit => ({ kind: 'add-web-seed', url })),
    ...plan.fieldEdits,
  ];
}

/**
 * The place of tier `n` (from 1) as `show` lists the tiers (those that hold a URL), in the file's count of tiers,
 * after the removals and replacements that come before the additions have been made.
 */
function listedTier(doc: BencodeDocument, n: number): number {
  const places = trackerPlaces(doc);
  const listed = places.tiers.flatMap((tier, i) => (tier?.some((url) => url !== null && url.trim() !== '') ? [i] : []));
  if (n > listed.length) {
    throw new EditError(
      'no-such-place',
      `the torrent has no tier ${n}: it has ${listed.length === 0 ? 'no trackers' : listed.length === 1 ? 'one tier' : `${listed.length} tiers`}`,
    );
  }
  return listed[n - 1];
}

function hashJson(hashes: InfoHashes | undefined): HashJson | null {
  return hashes ? { v1: hashes.v1 ?? null, v2: hashes.v2 ?? null } : null;
}

/** Edits one file; the folder of a file written is added to `written` (flushed once at the end). */
async function editFile(target: Target, plan: EditPlan, showSecrets: boolean, written: Set<string>): Promise<FileReport> {
  const report: FileReport = {
    file: target.file,
    output: target.output ?? null,
    status: 'failed',
    error: null,
    changed: false,
    infoHash: { before: null, after: null },
    infoHashChanged: false,
    changes: [],
    notes: [],
    secretsRedacted: false,
  };
  let secrets = Secrets.forTorrent({}, { show: showSecrets });
  try {
    const bytes = await readTorrentFile(target.file);
    const parsed = await parseMetainfoAsync(bytes);
    if (!parsed.ok) {
      const failure = parsed.failure;
      report.error = `not a torrent: ${visibleText(failure.message)}${failure.offset === undefined ? '' : ` (at byte ${failure.offset})`}`;
      return report;
    }
    const m = parsed.metainfo;
    secrets = Secrets.forTorrent(m, { show: showSecrets });
    report.infoHash.before = hashJson(m.infoHash);
    // --tier counts the tiers the torrent has once the removals are made, so the edits go in two rounds.
    const first = applyEdits(m.document, trackerRemovals(plan));
    const rest = applyEdits(first.document, additionsAndFields(plan, first.document));
    const changes = [...first.changes, ...rest.changes];
    const newInfoHash = rest.newInfoHash ?? first.newInfoHash;
    secrets = secretsAfter(m, changes, plan, showSecrets);
    report.changed = changes.length > 0;
    report.changes = changes.map((c) => redactChange(c, secrets));
    report.notes = [...first.notes, ...rest.notes].map((note) => visibleText(secrets.redact(note)));
    report.infoHash.after = newInfoHash ? hashJson(newInfoHash) : report.infoHash.before;
    report.infoHashChanged = JSON.stringify(report.infoHash.after) !== JSON.stringify(report.infoHash.before);
    report.secretsRedacted = secrets.hidesAnything;
    if (target.output === undefined) {
      report.status = 'dry-run';
      return report;
    }
    if (!report.changed && target.output === target.file) {
      report.status = 'unchanged';
      return report;
    }
    const file = await writeFileAtomic(target.output, rest.bytes, { mode: fileMode(target.file), syncFolder: false });
    written.add(path.dirname(file));
    report.status = 'written';
  } catch (error) {
    if (error instanceof CliError) {
      // readTorrentFile's one line names the file itself; the report names it once.
      report.error = error.message.startsWith(`${displayPath(target.file)}: `)
        ? error.message.slice(displayPath(target.file).length + 2)
        : error.message;
    } else if (error instanceof EditError) {
      report.error = visibleText(secrets.redact(error.message));
    } else if (error instanceof FileWriteError) {
      report.error = `cannot write ${target.output === target.file ? 'it' : `'${visibleText(target.output ?? '')}'`}: ${visibleText(error.message)}; nothing was changed`;
    } else {
      report.error = `internal error: ${visibleText(errorText(error))}`;
    }
    report.status = 'failed';
  }
  return report;
}

/** The mode of the input, for an output file that does not exist yet. */
function fileMode(file: string): number | undefined {
  try {
    return lstatSync(file).isFile() ? statSync(file).mode & 0o777 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The torrent's secrets, knowing its URLs before and after the edit: a passkey that an edit writes (say, by
 * --replace-tracker) is as secret as the one it replaces.
 */
function secretsAfter(m: Metainfo, changes: EditChange[], plan: EditPlan, show: boolean): Secrets {
  const tracker: string[] = [];
  for (const change of changes) {
    if (!change.location.startsWith('announce')) continue;
    for (const text of [change.before, change.after]) if (text) tracker.push(...text.split(/\s+/).filter(Boolean));
  }
  return Secrets.forTorrent(
    {
      trackers: [...m.trackers, tracker, plan.addTrackers, plan.removeTrackers],
      webSeeds: [...m.webSeeds, ...plan.addWebSeeds, ...plan.removeWebSeeds],
      httpSeeds: m.httpSeeds,
      private: m.private || plan.mayBePrivate,
    },
    { show },
  );
}

function redactChange(change: EditChange, secrets: Secrets): ShownEditChange {
  const shown = (text: string | undefined) => (text === undefined ? undefined : visibleText(secrets.redact(text)));
  // A location can name a key of the torrent (remove-key), which may hold anything.
  const out: ShownEditChange = { location: visibleText(change.location), action: change.action };
  if (change.before !== undefined) out.before = shown(change.before);
  if (change.after !== undefined) out.after = shown(change.after);
  if (change.reason !== undefined) out.reason = change.reason;
  if (change.before !== undefined && change.after !== undefined && secrets.differOnlyInSecrets(change.before, change.after))
    out.hiddenPartOnly = true;
  return out;
}

function hashText(hash: HashJson | null): string {
  if (!hash) return 'unknown';
  return [hash.v1 && `v1 ${hash.v1}`, hash.v2 && `v2 ${hash.v2}`].filter(Boolean).join(', ');
}

/** One file's report as text: the changes, the notes, the info hash and what was written. */
export function reportText(report: FileReport): string {
  if (report.status === 'failed') return '';
  const lines = [displayPath(report.file)];
  for (const c of report.changes) {
    const value =
      c.action === 'changed' ? `'${c.before ?? ''}' → '${c.after ?? ''}'` : `'${(c.action === 'added' ? c.after : c.before) ?? ''}'`;
    const why = [c.reason, c.hiddenPartOnly && 'only its hidden part changed'].filter(Boolean).join('; ');
    lines.push(`  ${c.action} ${c.location}: ${value}${why ? ` (${why})` : ''}`);
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  lines.push(
    report.infoHashChanged
      ? `  info hash: ${hashText(report.infoHash.before)} → ${hashText(report.infoHash.after)} (a new swarm)`
      : `  info hash: ${hashText(report.infoHash.before)} (unchanged)`,
  );
  const output = report.output === null ? '' : displayPath(report.output);
  const status: Record<Exclude<FileStatus, 'failed'>, string> = {
    written: report.output === report.file ? 'written' : `written to ${output}`,
    unchanged: 'nothing to change: not written',
    'dry-run': report.changed ? 'dry run: not written' : 'nothing to change',
  };
  lines.push(`  ${status[report.status]}`);
  return `${lines.join('\n')}\n`;
}
