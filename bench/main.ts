// `npm run bench`: speed and memory of Torrent Lens side by side with the alternatives, on the same inputs.
//
//   npm run bench                       everything (a few minutes)
//   npm run bench -- --quick            fewer runs, for a quick look
//   npm run bench -- --only decode,trackers
//                                       sections: decode, editor, vscode, trackers, extension, peers, hashing, edit
//
// Prints Markdown tables (medians with min–max) and which targets are met, and writes them to
// test-results/bench.md and bench.json. Benchmarks are not tests: a missed target is reported, not an error.
// Everything runs on this machine; the only network traffic is to trackers and peers on 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareInputs } from './lib/inputs';
import { hasGnuTime, which } from './lib/processes';
import { productionBuild, type ProductionBuild } from './lib/staging';
import { bytes, ms, msSummary, table, verdict, type Target } from './lib/stats';
import { decodeTables, decodeTargets, runDecode } from './sections/decode';
import { hashingTables, hashingTargets, runHashing } from './sections/hashing';
import { editTables, editTargets, runEditBench } from './sections/edit';
import { editorHostTables, runEditorHost, VIEWPORT_ROWS } from './sections/editor';
import { peerTables, peerTargets, runPeers } from './sections/peers';
import { runTrackers, TIMEOUT_MS, trackerTables, trackerTargets } from './sections/trackers';
import { runVsCode, vsCodeTables, type VsCodeFigures } from './sections/vscode';

const SECTIONS = ['decode', 'editor', 'vscode', 'trackers', 'extension', 'peers', 'hashing', 'edit'] as const;
type Section = (typeof SECTIONS)[number];

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = new Set<Section>(onlyAt >= 0 ? (process.argv[onlyAt + 1].split(',') as Section[]) : SECTIONS);
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s} (sections: ${SECTIONS.join(', ')})`);

const RUNS = {
  processes: quick ? 3 : 5,
  warmBudgetMs: quick ? 200 : 400,
  editorProcesses: quick ? 2 : 3,
  vscodeSessions: quick ? 1 : 3,
  vscodeReopens: quick ? 2 : 3,
  trackerRuns: quick ? 2 : 5,
  peerRuns: quick ? 3 : 10,
  hashingRuns: quick ? 2 : 5,
  editRuns: quick ? 2 : 5,
};

const started = Date.now();
/** Other work on the machine skews every figure; the report says how busy it was. */
const startLoad = loadavg();
function log(line: string): void {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}

/** A tool's version line; some print it on standard error. */
function commandOutput(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? `${result.stdout}${result.stderr}`.trim() : undefined;
}

function packageVersion(name: string, root = repoRoot): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function machine(): string[][] {
  const osRelease = existsSync('/etc/os-release') ? /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] : undefined;
  const transmission = which('transmission-show') ? commandOutput('transmission-show', ['--version'])?.split('\n')[0] : undefined;
  return [
    ['CPU', `${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores`],
    ['memory', bytes(totalmem())],
    ['OS', `${osRelease ?? process.platform}, Linux ${release()}`],
    ['Node.js', process.version],
    ['parse-torrent', packageVersion('parse-torrent')],
    ['bittorrent-tracker', packageVersion('bittorrent-tracker')],
    ['transmission-show', transmission ?? 'not installed'],
    [
      'libtorrent (python3-libtorrent)',
      commandOutput('/usr/bin/python3', ['-c', 'import libtorrent; print(libtorrent.__version__)']) ?? 'not installed',
    ],
    ['mktorrent', commandOutput('mktorrent', ['-h'])?.split('\n')[0] ?? 'not installed'],
    ['transmission-create', commandOutput('transmission-create', ['--version']) ?? 'not installed'],
    ['create-torrent', packageVersion('create-torrent')],
    ['VS Code', `code-server ${packageVersion('code-server', join(repoRoot, 'test', 'e2e', 'vscode-server'))}`],
    [
      'Chromium',
      commandOutput(process.env.CHROMIUM_PATH ?? 'chromium', ['--version'])
        ?.split('\n')
        .find((line) => /chromium/i.test(line)) ?? 'not installed',
    ],
    ['peak memory of processes', hasGnuTime() ? 'GNU time (%M)' : 'GNU time not installed: not measured'],
    ['load average at start (1, 5, 15 min)', startLoad.map((l) => l.toFixed(2)).join(', ')],
  ];
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'torrent-lens-bench-'));
  // The child scripts run from a copy: a build started meanwhile (npm test) empties out/. The copy sits in
  // the repository so that their npm imports (parse-torrent) resolve from node_modules.
  mkdirSync(join(repoRoot, '.cache'), { recursive: true });
  const childDir = mkdtempSync(join(repoRoot, '.cache', 'bench-'));
  for (const child of ['decode-child.mjs', 'editor-child.mjs', 'peers-swarm-child.mjs', 'hashing-child.mjs'])
    copyFileSync(join(repoRoot, 'out', 'bench', child), join(childDir, child));
  const cleanUp = () => {
    rmSync(work, { recursive: true, force: true });
    rmSync(childDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  const targets: Target[] = [];
  const report: string[] = [];
  const json: Record<string, unknown> = {};
  try {
    report.push('## Machine', '', table(['', ''], machine()), '');

    log('production build and .vsix');
    const build: ProductionBuild = productionBuild(repoRoot, join(work, 'production'));
    const cliPath = join(build.root, 'dist', 'cli.js');

    log('inputs');
    const inputs = prepareInputs(join(work, 'inputs'), resolve(repoRoot, 'test', 'fixtures', 'corpus'));
    const large = inputs.find((i) => i.id === 'large')!;

    if (only.has('decode')) {
      const results = await runDecode(inputs, {
        childDir,
        cliPath,
        processes: RUNS.processes,
        warmBudgetMs: RUNS.warmBudgetMs,
        gnuTime: hasGnuTime(),
        log,
      });
      json.decode = results;
      report.push('## 1. Decode + model + info hashes', '', decodeTables(results), '');
      targets.push(...decodeTargets(results));
    }

    if (only.has('editor')) {
      const figures = await runEditorHost(
        childDir,
        inputs.filter((i) => ['large', 'multi', 'hybrid-large'].includes(i.id)),
        RUNS.editorProcesses,
        log,
      );
      json.editorHost = figures;
      report.push(
        '## 2. The custom editor: open → first rows',
        '',
        `Host side, with the editor's own host modules (read, parseMetainfoAsync, EditorSession.prepare as the editor runs it while VS Code loads the webview, then the reply to the webview's init: the first snapshot for a ${VIEWPORT_ROWS}-row viewport), each input in fresh processes:`,
        '',
        editorHostTables(figures),
        '',
      );
      const big = figures.find((f) => f.input.id === 'large');
      if (big) {
        const shown = VIEWPORT_ROWS + 20;
        targets.push({
          section: 'editor',
          what: `messages sized to what is shown: first message ≤ ${shown} rows and < 64 KiB, a scroll page only the rows asked for and < 32 KiB`,
          measured: `first ${bytes(big.snapshotBytes)} (${big.snapshotRows} rows), page ${bytes(big.pageBytes)} (${big.pageRows} rows), raw-tree page ${bytes(big.rawPageBytes)}`,
          met: big.snapshotRows <= shown && big.snapshotBytes < 65_536 && big.pageBytes < 32_768 && big.rawPageBytes < 32_768,
        });
        targets.push({
          section: 'editor',
          what: 'the files filter answers at once: first query under 300 ms, later ones under 100 ms, for 100,000 files',
          measured: `first ${msSummary(big.filterFirst)}, a name ${msSummary(big.filterFew)}, every file ${msSummary(big.filterAll)}`,
          met: big.filterFirst.median < 300 && big.filterFew.median < 100 && big.filterAll.median < 100,
        });
      }
    }

    let vscode: VsCodeFigures | { skipped: string } | undefined;
    if (only.has('vscode')) {
      vscode = await runVsCode(repoRoot, build.vsix, large.path, RUNS.vscodeSessions, RUNS.vscodeReopens, log);
      json.vscode = vscode;
      if ('skipped' in vscode) {
        report.push('### In VS Code', '', `Not measured: ${vscode.skipped}`, '');
        targets.push({ section: 'editor', what: 'first rows under 1 s in VS Code', measured: vscode.skipped, met: undefined });
      } else {
        report.push(
          `### In VS Code (${large.label}, ${bytes(large.bytes)})`,
          '',
          `${vscode.sessions.length} fresh VS Code sessions; each opens the torrent from Quick Open, scrolls, then closes and reopens it ${RUNS.vscodeReopens} times. Times from the Enter key:`,
          '',
          vsCodeTables(vscode),
          '',
        );
        if (vscode.errors.length) report.push(`Sessions that failed: ${vscode.errors.join('; ')}`, '');
        targets.push({
          section: 'editor',
          what: 'first rows under 1 s (first open in a window)',
          measured: msSummary(vscode.firstOpen),
          met: vscode.firstOpen.median < 1000,
        });
        targets.push({
          section: 'editor',
          what: 'first rows under 1 s (reopen)',
          measured: `${msSummary(vscode.reopen)}, of which VS Code's webview loader ${ms(vscode.reopenLoader.median)} ms (${ms(vscode.loaderImagePreview.median)} ms for its own image preview)`,
          met: vscode.reopen.median < 1000,
        });
        targets.push({
          section: 'edit',
          what: 'a tracker edited in VS Code and saved stays interactive: Enter → saved file under 1 s',
          measured: `${msSummary(vscode.editTotal)} (shown ${ms(vscode.editShown.median)} ms, saved ${ms(vscode.editSaved.median)} ms later)`,
          met: vscode.editTotal.median < 1000,
        });
      }
    }

    if (only.has('trackers')) {
      const figures = await runTrackers([1, 10, 50], RUNS.trackerRuns, log);
      json.trackers = figures;
      report.push(
        '## 3. Announce and scrape to N trackers on 127.0.0.1',
        '',
        `Each tracker on its own port; HTTP and UDP alternate; slow ones answer after up to 400 ms, dead ones accept and never answer. Our deadline: ${TIMEOUT_MS} ms per tracker. ${RUNS.trackerRuns} runs each:`,
        '',
        trackerTables(figures),
        '',
      );
      targets.push(...trackerTargets(figures));
    }

    if (only.has('extension')) {
      json.build = build;
      const rows = build.bundles.map((b) => [b.path, bytes(b.bytes), bytes(b.gzipBytes)]);
      rows.push([`${build.vsix.split('/').pop()} (${build.vsixEntries} entries)`, bytes(build.vsixBytes), '–']);
      report.push(
        '## 4. Extension: bundle sizes and activation',
        '',
        'Production build (`node scripts/build.mjs --production`, minified) and the .vsix `npm run package` makes:',
        '',
        table(['file', 'size', 'gzip -9'], rows),
        '',
      );
      if (vscode && !('skipped' in vscode)) {
        report.push(
          `Activation in VS Code's extension host (its own figure, Developer: Show Running Extensions = code loading + activate()): ${msSummary(vscode.activation)} over ${vscode.activation.runs} sessions.`,
          '',
        );
      } else report.push('Activation: not measured (needs the VS Code section).', '');
    }

    if (only.has('peers')) {
      const figures = await runPeers(childDir, RUNS.peerRuns, log);
      json.peers = figures;
      report.push(
        '## 5. Peers: metadata from a magnet link, and a probe',
        '',
        `Real libtorrent seeders (Debian's python3-libtorrent) on 127.0.0.1; dead peers accept and never answer. Ours runs in this process; libtorrent fetches in a fresh torrent of one running session (its start-up not counted), the magnet's x.pe naming the same peers. ${RUNS.peerRuns} runs each, after one warm-up of ours. The probe runs against a separate process serving 200 local peers, mixed in order:`,
        '',
        peerTables(figures),
        '',
      );
      targets.push(...peerTargets(figures));
    }

    if (only.has('hashing')) {
      const figures = await runHashing({
        childDir,
        cliFile: join(build.root, 'dist', 'cli.js'),
        libtorrentTool: join(repoRoot, 'test', 'support', 'libtorrent-tool.py'),
        work: join(work, 'hashing'),
        quick,
        runs: RUNS.hashingRuns,
        gnuTime: hasGnuTime(),
        log,
      });
      json.hashing = figures;
      report.push(
        '## 6. Create and verify',
        '',
        'Every tool on the same page-cached data, pieces of 512 KiB, a whole process from spawn to exit (ours: `torrent-lens create` and `verify`), every contender once per round, the floor too; best of the runs, median in brackets; ÷ torrent-lens is the other best over ours. CPU is user + system time of the whole process (GNU time), which load from other work disturbs less than wall time; the floor is the hashing alone, in memory, on every core (its CPU: its whole process). Peak RSS from GNU time:',
        '',
        hashingTables(figures),
      );
      targets.push(...hashingTargets(figures));
    }

    if (only.has('edit')) {
      const figures = await runEditBench({
        cliPath,
        workDir: join(work, 'edit'),
        corpusDir: resolve(repoRoot, 'test', 'fixtures', 'corpus'),
        large,
        runs: RUNS.editRuns,
        gnuTime: hasGnuTime(),
        log,
      });
      json.edit = figures;
      report.push('## 7. Editing torrents: bulk, and a tracker of the largest', '', editTables(figures), '');
      targets.push(...editTargets(figures));
    }

    report.push(
      '## Targets',
      '',
      table(
        ['section', 'target', 'measured', ''],
        targets.map((t) => [t.section, t.what, t.measured, verdict(t.met)]),
      ),
      '',
    );
    report.push(
      `Load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}.`,
      '',
    );
    report.push(
      `Command: \`npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`, ${((Date.now() - started) / 1000).toFixed(0)} s, ${new Date().toISOString().slice(0, 10)}.`,
      '',
    );

    const text = report.join('\n');
    process.stdout.write(`\n${text}`);
    const outDir = join(repoRoot, 'test-results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'bench.md'), text);
    writeFileSync(join(outDir, 'bench.json'), JSON.stringify({ machine: machine(), targets, ...json }, null, 2));
    log('written to test-results/bench.md and bench.json');
  } finally {
    cleanUp();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
