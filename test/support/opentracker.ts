// Starts Debian's `opentracker` on 127.0.0.1 for a test file. Debian builds it whitelist-only, so the
// tracker gets a whitelist of the test's info hashes; any other hash is refused with a failure reason.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

export interface OpenTracker {
  port: number;
  httpAnnounce: string;
  udpAnnounce: string;
  /** What opentracker printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Whether the tracker answers and has read its whitelist (it does so in a thread after start-up): a `stopped`
 * announce of a whitelisted hash is answered without a failure reason, and adds no peer.
 */
function probe(port: number, hash: string | undefined): Promise<boolean> {
  const encoded = hash ? [...Buffer.from(hash, 'hex')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') : '';
  const path = hash
    ? `/announce?info_hash=${encoded}&peer_id=-XX0000-readinessprb&port=1&left=0&event=stopped&compact=1&numwant=0`
    : '/scrape';
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, timeout: 500, agent: false }, (response) => {
      let body = '';
      response.on('data', (d: Buffer) => (body += d.toString('latin1')));
      response.on('end', () => resolve(!body.includes('failure reason')));
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

/** Starts opentracker serving exactly `infoHashes` (hex) over HTTP and UDP on one free port. */
export async function startOpentracker(infoHashes: string[]): Promise<OpenTracker> {
  const dir = mkdtempSync(join(tmpdir(), 'opentracker-'));
  // Run as root, opentracker chroots into the directory and drops to `nobody`, which must read the whitelist.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'whitelist.txt'), infoHashes.map((h) => `${h.toLowerCase()}\n`).join(''), { mode: 0o644 });
  let lastOutput = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    // The whitelist path is relative: opentracker reads it after changing into (or chrooting to) rootdir.
    writeFileSync(
      join(dir, 'opentracker.conf'),
      [`listen.tcp 127.0.0.1:${port}`, `listen.udp 127.0.0.1:${port}`, 'access.whitelist whitelist.txt', `tracker.rootdir ${dir}`, ''].join(
        '\n',
      ),
      { mode: 0o644 },
    );
    const child = spawn('opentracker', ['-f', join(dir, 'opentracker.conf')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    let exited = false;
    const exit = new Promise<void>((resolve) => {
      child.once('exit', () => {
        exited = true;
        running.delete(child);
        resolve();
      });
      child.once('error', (error) => {
        output += String(error);
        exited = true;
        running.delete(child);
        resolve();
      });
    });
    let ready = false;
    for (let i = 0; i < 100 && !exited; i++) {
      if (await probe(port, infoHashes[0])) {
        ready = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (ready) {
      return {
        port,
        httpAnnounce: `http://127.0.0.1:${port}/announce`,
        udpAnnounce: `udp://127.0.0.1:${port}/announce`,
        output: () => output,
        async stop() {
          if (!exited) {
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
            await exit;
            clearTimeout(killer);
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    lastOutput = output;
    if (!exited) child.kill('SIGKILL');
    await exit;
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`opentracker did not start: ${lastOutput}`);
}
