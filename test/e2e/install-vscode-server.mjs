// Installs the real VS Code the end-to-end tests and `npm start` run: code-server (VS Code 1.100.3, the
// last release that runs on Node 20) from npm, into test/e2e/vscode-server/ with its own lockfile, so the
// extension's own `npm ci` stays light.
//
//   node test/e2e/install-vscode-server.mjs          install if missing or if the lockfile changed
//   node test/e2e/install-vscode-server.mjs --force  reinstall
//
// A re-run with nothing to do takes well under a second: it compares a stamp (hash of the lockfile, Node major,
// platform) written after the last successful install.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const serverDir = join(dirname(fileURLToPath(import.meta.url)), 'vscode-server');
export const codeServerEntry = join(serverDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const stampFile = join(serverDir, 'node_modules', '.torrent-lens-install-stamp');
// Scratch space of the install only (npm's temp files and the ripgrep seed); removed afterwards.
const scratchDir = join(serverDir, '.cache', 'install-tmp');

// code-server 4.100.3 pins @vscode/ripgrep 1.15.11 (lib/vscode/npm-shrinkwrap.json), whose postinstall fetches
// this ripgrep build from GitHub unless it finds it in $TMPDIR/vscode-ripgrep-cache-<version>/.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_BUILD_TAG = 'v13.0.0-10';
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

function expectedStamp() {
  const lock = readFileSync(join(serverDir, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex');
  return `${hash} node${process.versions.node.split('.')[0]} ${platform()}-${arch()}\n`;
}

export function isVsCodeServerInstalled() {
  try {
    return existsSync(codeServerEntry) && readFileSync(stampFile, 'utf8') === expectedStamp();
  } catch {
    return false;
  }
}

function which(command) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** What the native builds inside code-server need from the system; fails early with the fix instead of a compiler log. */
function checkPrerequisites() {
  const problems = [];
  if (platform() !== 'linux') problems.push(`this installer supports Linux only (found ${platform()})`);
  if (process.versions.node.split('.')[0] !== '20') {
    problems.push(`code-server 4.100.3 needs Node 20 (found ${process.versions.node})`);
  }
  if (!existsSync('/usr/include/gssapi/gssapi.h')) problems.push('the Kerberos headers (Debian package libkrb5-dev) are missing');
  if (!which('rg')) problems.push('ripgrep (Debian package ripgrep) is missing');
  for (const tool of ['make', 'g++', 'python3']) if (!which(tool)) problems.push(`${tool} is missing`);
  if (problems.length > 0) {
    throw new Error(`cannot install code-server: ${problems.join('; ')}.\nRun: sudo bash scripts/install-system-deps.sh`);
  }
}

/** Puts Debian's ripgrep where @vscode/ripgrep looks for its download, so its postinstall needs no network. */
function seedRipgrep(tmpDir) {
  const target = RIPGREP_TARGETS[arch()];
  if (!target) throw new Error(`no ripgrep build known for ${arch()}`);
  const cacheDir = join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  mkdirSync(cacheDir, { recursive: true });
  const binDir = join(tmpDir, 'rg-bin');
  mkdirSync(binDir, { recursive: true });
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (Debian package ripgrep) is missing');
  const copy = spawnSync('cp', [rg, join(binDir, 'rg')], { stdio: 'inherit' });
  if (copy.status !== 0) throw new Error('could not copy ripgrep');
  const archive = join(cacheDir, `ripgrep-${RIPGREP_BUILD_TAG}-${target}.tar.gz`);
  const tar = spawnSync('tar', ['czf', archive, '-C', binDir, 'rg'], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error('could not pack ripgrep');
}

/** Installs code-server unless the stamp says the installed one matches the lockfile. Returns the entry script. */
export function ensureVsCodeServer({ force = false, quiet = false } = {}) {
  if (!force && isVsCodeServerInstalled()) {
    if (!quiet) console.log('code-server: already installed');
    return codeServerEntry;
  }
  checkPrerequisites();
  const started = Date.now();
  console.log('code-server: installing 4.100.3 (VS Code 1.100.3) into test/e2e/vscode-server (about a minute)…');
  rmSync(scratchDir, { recursive: true, force: true });
  mkdirSync(scratchDir, { recursive: true });
  seedRipgrep(scratchDir);
  const env = {
    ...process.env,
    TMPDIR: scratchDir,
    // node-pty's postinstall runs `npx node-gyp`; npx must not stop to ask.
    npm_config_yes: 'true',
    // code-server's postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: serverDir, env, stdio: 'inherit' });
  rmSync(scratchDir, { recursive: true, force: true });
  if (npm.status !== 0) throw new Error(`code-server: npm ci failed (exit ${npm.status ?? npm.signal})`);
  if (!existsSync(codeServerEntry)) throw new Error(`code-server: npm ci succeeded but ${codeServerEntry} is missing`);
  const version = spawnSync(process.execPath, [codeServerEntry, '--version'], {
    encoding: 'utf8',
    // code-server writes its config on any run; keep that out of the real home folder.
    env: {
      ...process.env,
      HOME: join(serverDir, 'node_modules', '.home'),
      XDG_CONFIG_HOME: join(serverDir, 'node_modules', '.home', 'config'),
      XDG_DATA_HOME: join(serverDir, 'node_modules', '.home', 'data'),
    },
  });
  if (version.status !== 0) throw new Error(`code-server: installed but \`--version\` failed:\n${version.stderr}`);
  writeFileSync(stampFile, expectedStamp());
  console.log(`code-server: installed ${version.stdout.trim().split('\n').at(-1)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return codeServerEntry;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureVsCodeServer({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
