// Integration tests that run inside VS Code's extension host, against the real `vscode` API and the
// extension as built in dist/. test/e2e/run-integration.mjs bundles this file and hands it to VS Code as
// the extension tests module; VS Code calls `run()`, and its outcome becomes the run's exit code.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { encode } from '../../../src/core/bencode/decode';
import { parseMetainfo } from '../../../src/core/metainfo/parse';

const EXTENSION_ID = 'torrent-lens.torrent-lens';
const VIEW_TYPE = 'torrentLens.editor';
/** Commands the product promises (issues of the editor and the tracker work); each must be contributed and registered. */
const PROMISED_COMMANDS = ['torrentLens.copyInfoHash', 'torrentLens.copyMagnetLink', 'torrentLens.announce', 'torrentLens.scrape'];
const TEST_TIMEOUT_MS = 30_000;
/** Marks the suite's own output lines among the workbench's console chatter; the runner prints only these. */
const OUTPUT_PREFIX = 'torrent-lens-test| ';

function report(text: string): void {
  console.log(
    text
      .split('\n')
      .map((line) => OUTPUT_PREFIX + line)
      .join('\n'),
  );
}

interface TruthEntry {
  infoHashV1: string | null;
  infoHashV2: string | null;
  name: string | { latin1: string };
  trackerTiers: string[][];
}

interface Test {
  name: string;
  fn: () => Promise<void>;
}

const tests: Test[] = [];
function test(name: string, fn: () => Promise<void>): void {
  tests.push({ name, fn });
}

class AssertionError extends Error {}
function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new AssertionError(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// -------------------------------------------------------------------------------------------------------
// Fixtures

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert(found, `extension ${EXTENSION_ID} is not loaded`);
  return found;
}

/** The test corpus inside the repository the extension was loaded from. */
function corpusDir(): string {
  return resolve(extension().extensionPath, 'test', 'fixtures', 'corpus');
}

function corpusUri(relativePath: string): vscode.Uri {
  return vscode.Uri.file(join(corpusDir(), relativePath));
}

let truthCache: Record<string, TruthEntry> | undefined;
function truth(relativePath: string): TruthEntry {
  truthCache ??= JSON.parse(readFileSync(join(corpusDir(), 'truth.json'), 'utf8')).torrents as Record<string, TruthEntry>;
  const entry = truthCache[relativePath];
  assert(entry, `truth.json has no entry for ${relativePath}`);
  return entry;
}

async function poll<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new AssertionError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function activeTabInput(): unknown {
  return vscode.window.tabGroups.activeTabGroup.activeTab?.input;
}

/** Opens a file the way a user does (default editor for its type) and waits for the torrent editor's tab. */
async function openInTorrentEditor(uri: vscode.Uri): Promise<vscode.TabInputCustom> {
  // Not awaited: when no provider answers for the view type, the command never settles; the poll reports it.
  const opening = vscode.commands.executeCommand('vscode.open', uri);
  opening.then(undefined, (error: unknown) => report(`      vscode.open ${uri.path}: ${String(error)}`));
  return poll(`the ${VIEW_TYPE} tab for ${uri.path}`, () => {
    const input = activeTabInput();
    return input instanceof vscode.TabInputCustom && input.uri.toString() === uri.toString() ? input : undefined;
  });
}

async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Puts a marker on the clipboard, so a copy that silently does nothing cannot pass for one that worked. */
async function primeClipboard(): Promise<string> {
  const marker = `clipboard-marker-${Math.random().toString(36).slice(2)}`;
  await vscode.env.clipboard.writeText(marker);
  assertEqual(await vscode.env.clipboard.readText(), marker, 'clipboard round trip');
  return marker;
}

/** What a copy command put on the clipboard; waits briefly since commands may copy asynchronously. */
async function clipboardAfter(command: string, marker: string, ...args: unknown[]): Promise<string> {
  await vscode.commands.executeCommand(command, ...args);
  return poll(
    `${command} to change the clipboard`,
    async () => {
      const text = await vscode.env.clipboard.readText();
      return text !== marker ? text : undefined;
    },
    5000,
  );
}

interface Magnet {
  xt: string[];
  dn: string | null;
  tr: string[];
}
function parseMagnet(text: string): Magnet {
  assert(text.startsWith('magnet:?'), `not a magnet link: ${text.slice(0, 80)}`);
  const params = new URLSearchParams(text.slice('magnet:?'.length));
  return { xt: params.getAll('xt'), dn: params.get('dn'), tr: params.getAll('tr') };
}

/** A single-file torrent whose tracker URL carries a passkey, written into the workspace. */
function writePasskeyTorrent(passkey: string): { uri: vscode.Uri; infoHash: string; tracker: string } {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'the test workspace has no folder');
  const tracker = `http://127.0.0.1:9/announce?passkey=${passkey}`;
  const info = { length: 5, name: 'passkey-test.bin', 'piece length': 16384, pieces: new Uint8Array(20).fill(7) };
  const infoHash = createHash('sha1').update(encode(info)).digest('hex');
  const uri = vscode.Uri.joinPath(folder.uri, 'passkey-test.torrent');
  writeFileSync(uri.fsPath, encode({ announce: tracker, info }));
  return { uri, infoHash, tracker };
}

// -------------------------------------------------------------------------------------------------------
// Tests

test('the extension activates when a .torrent file is opened', async () => {
  await openInTorrentEditor(corpusUri('gen/lt-v1-single.torrent'));
  await poll('the extension to be active', () => extension().isActive);
});

test(`${VIEW_TYPE} is the default editor for .torrent files (v1, hybrid, v2-only, real, malformed)`, async () => {
  for (const path of [
    'gen/lt-v1-multi-nested.torrent',
    'gen/lt-hybrid-multi.torrent',
    'gen/lt-v2-only-multi.torrent',
    'real/webtorrent-fixtures/leaves.torrent',
    'bad/html-page.torrent',
  ]) {
    const input = await openInTorrentEditor(corpusUri(path));
    assertEqual(input.viewType, VIEW_TYPE, `view type of ${path}`);
  }
});

test('every command contributed in package.json is registered', async () => {
  const contributed = ((extension().packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map(
    (c) => c.command,
  );
  assert(contributed.length > 0, 'package.json contributes no commands');
  await extension().activate();
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = contributed.filter((id) => !registered.has(id));
  assert(missing.length === 0, `contributed but not registered: ${missing.join(', ')}`);
});

test('the promised commands (copy info hash, copy magnet link, announce, scrape) are contributed and registered', async () => {
  const contributed = new Set(
    ((extension().packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command),
  );
  await extension().activate();
  const registered = new Set(await vscode.commands.getCommands(true));
  const problems = PROMISED_COMMANDS.flatMap((id) => [
    ...(contributed.has(id) ? [] : [`${id} is not contributed`]),
    ...(registered.has(id) ? [] : [`${id} is not registered`]),
  ]);
  assert(problems.length === 0, problems.join('; '));
});

test('Copy Info Hash copies the v1 info hash of the open torrent', async () => {
  for (const path of ['gen/lt-v1-multi-nested.torrent', 'gen/lt-hybrid-multi.torrent', 'real/webtorrent-fixtures/leaves.torrent']) {
    await openInTorrentEditor(corpusUri(path));
    const marker = await primeClipboard();
    const copied = await clipboardAfter('torrentLens.copyInfoHash', marker);
    assertEqual(copied, truth(path).infoHashV1, `info hash copied for ${path}`);
  }
});

test('Copy Info Hash copies the v2 info hash of a v2-only torrent', async () => {
  const path = 'gen/lt-v2-only-multi.torrent';
  await openInTorrentEditor(corpusUri(path));
  const marker = await primeClipboard();
  assertEqual(await clipboardAfter('torrentLens.copyInfoHash', marker), truth(path).infoHashV2, `info hash copied for ${path}`);
});

test("Copy Info Hash from the Explorer (file argument, no editor open) copies that file's hash", async () => {
  await closeAllEditors();
  const path = 'gen/tool-transmission-multi.torrent';
  const marker = await primeClipboard();
  assertEqual(
    await clipboardAfter('torrentLens.copyInfoHash', marker, corpusUri(path)),
    truth(path).infoHashV1,
    `info hash copied for ${path}`,
  );
});

test('Copy Info Hash on a malformed torrent leaves the clipboard alone', async () => {
  await openInTorrentEditor(corpusUri('bad/huge-length-prefix.torrent'));
  const marker = await primeClipboard();
  await vscode.commands.executeCommand('torrentLens.copyInfoHash');
  // Give an asynchronous copy the time it would need to land, then check nothing did.
  await new Promise((r) => setTimeout(r, 1000));
  assertEqual(await vscode.env.clipboard.readText(), marker, 'clipboard after copying from a malformed torrent');
});

test('Copy Magnet Link copies a link with the info hashes, the name and every tracker', async () => {
  for (const path of ['gen/lt-v1-multi-nested.torrent', 'gen/lt-hybrid-multi.torrent']) {
    const expected = truth(path);
    await openInTorrentEditor(corpusUri(path));
    const marker = await primeClipboard();
    const magnet = parseMagnet(await clipboardAfter('torrentLens.copyMagnetLink', marker));
    assert(
      magnet.xt.includes(`urn:btih:${expected.infoHashV1}`),
      `${path}: xt ${JSON.stringify(magnet.xt)} lacks urn:btih:${expected.infoHashV1}`,
    );
    if (expected.infoHashV2) {
      assert(
        magnet.xt.includes(`urn:btmh:1220${expected.infoHashV2}`),
        `${path}: xt ${JSON.stringify(magnet.xt)} lacks urn:btmh:1220${expected.infoHashV2}`,
      );
    }
    assertEqual(magnet.dn, typeof expected.name === 'string' ? expected.name : expected.name.latin1, `${path}: dn`);
    const trackers = [...new Set(expected.trackerTiers.flat())].sort();
    assertEqual(JSON.stringify([...new Set(magnet.tr)].sort()), JSON.stringify(trackers), `${path}: tr`);
  }
});

test('torrentLens.privacy.showSecrets is read: magnet links hide a passkey unless it is on', async () => {
  const config = () => vscode.workspace.getConfiguration('torrentLens');
  assertEqual(config().inspect<boolean>('privacy.showSecrets')?.defaultValue, false, 'declared default of privacy.showSecrets');
  const passkey = '0123456789abcdef0123456789abcdef';
  const torrent = writePasskeyTorrent(passkey);
  try {
    await openInTorrentEditor(torrent.uri);

    let marker = await primeClipboard();
    const hidden = parseMagnet(await clipboardAfter('torrentLens.copyMagnetLink', marker));
    assert(hidden.xt.includes(`urn:btih:${torrent.infoHash}`), `xt ${JSON.stringify(hidden.xt)} lacks urn:btih:${torrent.infoHash}`);
    assert(!hidden.tr.some((tr) => tr.includes(passkey)), `passkey shown with showSecrets off: ${JSON.stringify(hidden.tr)}`);

    const changed = new Promise<void>((done) => {
      const listener = vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('torrentLens.privacy.showSecrets')) {
          listener.dispose();
          done();
        }
      });
    });
    await config().update('privacy.showSecrets', true, vscode.ConfigurationTarget.Global);
    await changed;
    assertEqual(config().get('privacy.showSecrets'), true, 'privacy.showSecrets after the update');

    marker = await primeClipboard();
    const shown = parseMagnet(await clipboardAfter('torrentLens.copyMagnetLink', marker));
    assert(
      shown.tr.includes(torrent.tracker),
      `tracker with passkey not in the magnet link with showSecrets on: ${JSON.stringify(shown.tr)}`,
    );
  } finally {
    await config().update('privacy.showSecrets', undefined, vscode.ConfigurationTarget.Global);
  }
});

/** Tabs of any group that show `uri`, by the kind of editor. */
function tabsOf(uri: vscode.Uri): { text: number; torrent: number } {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  const of = (tab: vscode.Tab) => (tab.input as { uri?: vscode.Uri } | undefined)?.uri?.toString() === uri.toString();
  return {
    text: tabs.filter((tab) => of(tab) && tab.input instanceof vscode.TabInputText).length,
    torrent: tabs.filter((tab) => of(tab) && tab.input instanceof vscode.TabInputCustom && tab.input.viewType === VIEW_TYPE).length,
  };
}

test('Open as Text reopens the torrent in the text editor in place of the Torrent Lens editor: one tab of the file', async () => {
  const uri = corpusUri('gen/lt-v1-single.torrent');
  await openInTorrentEditor(uri);
  await vscode.commands.executeCommand('torrentLens.openAsText');
  await poll('a text editor tab for the torrent', () => {
    const input = activeTabInput();
    return input instanceof vscode.TabInputText && input.uri.toString() === uri.toString();
  });
  assertEqual(JSON.stringify(tabsOf(uri)), JSON.stringify({ text: 1, torrent: 0 }), 'tabs of the file');
});

test('Open as Text works at once after the torrent opens, before its webview has loaded', async () => {
  await closeAllEditors();
  const uri = corpusUri('gen/lt-v1-multi-nested.torrent');
  await vscode.commands.executeCommand('vscode.open', uri);
  await vscode.commands.executeCommand('torrentLens.openAsText');
  await poll('a text editor tab for the torrent', () => {
    const input = activeTabInput();
    return input instanceof vscode.TabInputText && input.uri.toString() === uri.toString();
  });
  assertEqual(JSON.stringify(tabsOf(uri)), JSON.stringify({ text: 1, torrent: 0 }), 'tabs of the file');
});

test("a torrent's problems are in the Problems view while its editor is open, each linked to the torrent, and go when it closes", async () => {
  await closeAllEditors();
  const path = 'gen/hand-noncanonical-unsorted-keys.torrent';
  const uri = corpusUri(path);
  const parsed = parseMetainfo(new Uint8Array(readFileSync(uri.fsPath)));
  assert(parsed.ok && parsed.metainfo.diagnostics.length > 0, `${path} parses with warnings`);
  const expected = parsed.metainfo.diagnostics;
  await openInTorrentEditor(uri);
  const shown = await poll("the torrent's diagnostics", () => {
    const found = vscode.languages.getDiagnostics(uri);
    return found.length === expected.length ? found : undefined;
  });
  shown.forEach((diagnostic, i) => {
    const problem = expected[i];
    assertEqual(diagnostic.source, 'Torrent Lens', 'source');
    assert(diagnostic.message.startsWith(problem.message), `message ${i}: ${diagnostic.message}`);
    if (problem.offset !== undefined)
      assert(diagnostic.message.includes(`byte ${problem.offset.toLocaleString('en-US')}`), `byte in message ${i}: ${diagnostic.message}`);
    const severity = {
      error: vscode.DiagnosticSeverity.Error,
      warning: vscode.DiagnosticSeverity.Warning,
      info: vscode.DiagnosticSeverity.Information,
    };
    assertEqual(diagnostic.severity, severity[problem.severity], 'severity');
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assertEqual(code.value, problem.code, 'code');
    assertEqual(code.target.scheme, 'command', 'the code links to a command');
    assertEqual(code.target.path, 'torrentLens.showProblem', 'the command');
    assertEqual(JSON.stringify(JSON.parse(code.target.query)), JSON.stringify([uri.toString(), 1, i]), 'its arguments');
  });

  // The link opens the torrent again once its editor is closed.
  await closeAllEditors();
  await poll('the diagnostics to go with the last editor', () => vscode.languages.getDiagnostics(uri).length === 0);
  await vscode.commands.executeCommand('torrentLens.showProblem', uri.toString(), 1, 0);
  await poll('the torrent editor of the problem', () => {
    const input = activeTabInput();
    return input instanceof vscode.TabInputCustom && input.uri.toString() === uri.toString();
  });
  await poll('the diagnostics back with the editor', () => vscode.languages.getDiagnostics(uri).length === expected.length);
});

test('a file that is no torrent has its error in the Problems view', async () => {
  const path = 'bad/html-page.torrent';
  const uri = corpusUri(path);
  const parsed = parseMetainfo(new Uint8Array(readFileSync(uri.fsPath)));
  assert(!parsed.ok, `${path} is no torrent`);
  await openInTorrentEditor(uri);
  const shown = await poll('the error diagnostic', () => {
    const found = vscode.languages.getDiagnostics(uri);
    return found.length > 0 ? found : undefined;
  });
  assertEqual(shown[0].severity, vscode.DiagnosticSeverity.Error, 'severity');
  assert(shown[0].message.startsWith(parsed.failure.message), `message: ${shown[0].message}`);
  assertEqual((shown[0].code as { value: string }).value, parsed.failure.code, 'code');
});

// -------------------------------------------------------------------------------------------------------
// Virtual file systems and the size cap

const VIRTUAL_SCHEME = 'torrent-lens-test-virtual';
const MAX_TORRENT_BYTES = 256 * 1024 * 1024;

/**
 * A read-only file system in memory, as a virtual workspace's would be: files with their bytes, or with only
 * a size (a file too large to keep), and a count of the reads each path had.
 */
class MemoryFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  readonly files = new Map<string, { bytes?: Uint8Array; size: number }>();
  readonly reads = new Map<string, number>();

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: file.size };
  }
  readFile(uri: vscode.Uri): Uint8Array {
    this.reads.set(uri.path, (this.reads.get(uri.path) ?? 0) + 1);
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    // A file that only has a size reads as what the size promised would start with.
    return file.bytes ?? new TextEncoder().encode('d4:info');
  }
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  readDirectory(): [string, vscode.FileType][] {
    return [...this.files.keys()].map((path) => [path.slice(1), vscode.FileType.File]);
  }
  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}

let memoryFileSystem: MemoryFileSystem | undefined;
function virtualFiles(): MemoryFileSystem {
  if (!memoryFileSystem) {
    memoryFileSystem = new MemoryFileSystem();
    vscode.workspace.registerFileSystemProvider(VIRTUAL_SCHEME, memoryFileSystem, { isReadonly: true, isCaseSensitive: true });
  }
  return memoryFileSystem;
}

test('a torrent on a virtual file system opens in the editor, and the commands read it through workspace.fs', async () => {
  const path = 'gen/lt-hybrid-multi.torrent';
  const files = virtualFiles();
  const bytes = new Uint8Array(readFileSync(corpusUri(path).fsPath));
  files.files.set('/hybrid.torrent', { bytes, size: bytes.length });
  const uri = vscode.Uri.from({ scheme: VIRTUAL_SCHEME, path: '/hybrid.torrent' });
  await openInTorrentEditor(uri);
  let marker = await primeClipboard();
  assertEqual(await clipboardAfter('torrentLens.copyInfoHash', marker), truth(path).infoHashV1, 'info hash in the editor');
  await closeAllEditors();
  marker = await primeClipboard();
  assertEqual(await clipboardAfter('torrentLens.copyInfoHash', marker, uri), truth(path).infoHashV1, 'info hash without an editor');
  assert((files.reads.get('/hybrid.torrent') ?? 0) >= 2, 'both read the file system');
});

test('a torrent larger than the cap is refused before it is read, by the commands and the editor', async () => {
  const files = virtualFiles();
  files.files.set('/huge.torrent', { size: MAX_TORRENT_BYTES + 1 });
  const uri = vscode.Uri.from({ scheme: VIRTUAL_SCHEME, path: '/huge.torrent' });
  const marker = await primeClipboard();
  const refusal = await vscode.commands.executeCommand('torrentLens.copyInfoHash', uri).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  assert(refusal?.includes('huge.torrent: is larger than the 256 MiB a torrent may be'), `copy refused with: ${refusal}`);
  // The editor is refused too: VS Code reports that it could not open it, and nothing is read.
  void vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE).then(undefined, () => undefined);
  await new Promise((r) => setTimeout(r, 1500));
  assertEqual(files.reads.get('/huge.torrent') ?? 0, 0, 'reads of the file over the cap');
  assertEqual(await vscode.env.clipboard.readText(), marker, 'the clipboard after the refused copy');
});

// -------------------------------------------------------------------------------------------------------
// Runner

export async function run(): Promise<void> {
  const failures: string[] = [];
  let passed = 0;
  report(`Torrent Lens integration tests in VS Code ${vscode.version}`);
  for (const { name, fn } of tests) {
    const started = Date.now();
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AssertionError(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS);
      });
      try {
        await Promise.race([fn(), timeout]);
      } finally {
        clearTimeout(timer);
      }
      passed++;
      report(`  ✓ ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message =
        error instanceof AssertionError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push(name);
      report(`  ✗ ${name}\n      ${message.replace(/\n/g, '\n      ')}`);
    }
    await closeAllEditors().then(undefined, () => undefined);
  }
  report(`${passed} passed, ${failures.length} failed`);
  for (const name of failures) report(`  failed: ${name}`);
  if (failures.length > 0) throw new Error(`${failures.length} integration test(s) failed`);
}
