// `npm start`: builds and packages the extension, then runs it in a real VS Code (code-server on
// 127.0.0.1 with a throwaway profile) on a workspace of sample torrents, and prints the address to open.
// Stops, and removes the profile, on Ctrl-C.
//
//   PORT=8080 npm start     a fixed port instead of a free one
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureVsCodeServer } from '../test/e2e/install-vscode-server.mjs';
import {
  addWorkspaceFiles,
  corpus,
  corpusDir,
  installExtension,
  makeSandbox,
  startCodeServer,
  writeUserSettings,
} from '../test/e2e/lib/harness.mjs';
import { onInterrupt } from '../test/e2e/lib/processes.mjs';
import { writeManyFilesTorrent } from '../test/e2e/lib/torrents.mjs';
import { packageExtension } from './package.mjs';

/** Sample workspace: name in the workspace -> file in the test corpus. */
const SAMPLES = {
  'v1 multi-file (nested folders).torrent': 'gen/lt-v1-multi-nested.torrent',
  'v1 private, with source.torrent': 'gen/mktorrent-private-source.torrent',
  'v1 tiers and web seeds.torrent': 'gen/mktorrent-tiers-webseeds.torrent',
  'v1 padded files.torrent': 'gen/lt-v1-padded.torrent',
  'hybrid v1+v2 multi-file.torrent': 'gen/lt-hybrid-multi.torrent',
  'v2-only multi-file.torrent': 'gen/lt-v2-only-multi.torrent',
  'non-canonical (unsorted keys).torrent': 'gen/hand-noncanonical-unsorted-keys.torrent',
  'real/sintel.torrent': 'real/webtorrent-fixtures/sintel.torrent',
  'real/leaves of grass.torrent': 'real/webtorrent-fixtures/leaves.torrent',
  'hostile/injection in names.torrent': 'gen/lt-v1-injection.torrent',
  'hostile/injection in paths and urls.torrent': 'gen/hand-injection-paths.torrent',
  'malformed/huge length prefix.torrent': 'bad/huge-length-prefix.torrent',
  'malformed/nested 100000 deep.torrent': 'bad/nested-list-depth-100000.torrent',
  'malformed/html page.torrent': 'bad/html-page.torrent',
  'malformed/path traversal.torrent': 'bad/path-dotdot-traversal.torrent',
};

async function main() {
  const vsix = packageExtension({ quiet: true });
  console.log(`packaged ${vsix}`);
  ensureVsCodeServer();

  const sandbox = makeSandbox('start');
  let server;
  try {
    const available = Object.fromEntries(
      Object.entries(SAMPLES)
        .filter(([, source]) => existsSync(corpus(source)))
        .map(([name, source]) => [name, corpus(source)]),
    );
    if (Object.keys(available).length === 0) console.warn(`no sample torrents found in ${corpusDir}`);
    writeUserSettings(sandbox);
    addWorkspaceFiles(sandbox, available);
    const big = await writeManyFilesTorrent(join(sandbox.workspace, 'large', '100000 files.torrent'));
    writeFileSync(
      join(sandbox.workspace, 'README.txt'),
      'Sample torrents for Torrent Lens. Open any .torrent file: it opens in the Torrent Lens editor.\n' +
        'Try the command palette (F1) and type "Torrent".\n' +
        `large/100000 files.torrent was generated just now (${(big.bytes / 1e6).toFixed(1)} MB, info hash ${big.infoHashV1}).\n`,
    );
    installExtension(sandbox, vsix);
    const port = process.env.PORT ? Number(process.env.PORT) : undefined;
    server = await startCodeServer(sandbox, { port });
  } catch (error) {
    sandbox.dispose();
    throw error;
  }

  // Ctrl-C: stop the server first (it writes into the profile), then remove the profile.
  let interrupted = false;
  onInterrupt(async () => {
    interrupted = true;
    console.log('\nstopping VS Code…');
    await server.stop();
    sandbox.dispose();
  });

  const address = `${server.url}/?folder=${encodeURIComponent(sandbox.workspace)}`;
  console.log(`
Torrent Lens is running in VS Code 1.100.3 (code-server 4.100.3).
Open this address in a browser on this machine:

    ${address}

(On another machine: ssh -L ${server.port}:127.0.0.1:${server.port} <this host>, then open the same address.)
Profile and sample workspace: ${sandbox.root} (removed on exit)
Press Ctrl-C to stop.`);

  // Keep running until the server ends by itself or we are interrupted.
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      try {
        process.kill(server.pid, 0);
      } catch {
        clearInterval(timer);
        resolve(undefined);
      }
    }, 1000);
  });
  // On Ctrl-C the terminal signals code-server too; the interrupt handler finishes the clean-up and exits.
  if (interrupted) return;
  console.error(`code-server stopped unexpectedly:\n${server.logTail()}`);
  await server.stop();
  sandbox.dispose();
  process.exit(1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
