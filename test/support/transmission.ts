// Debian's transmission-daemon (3.00) as a second real peer implementation, on the loopback interface only: its
// own configuration folder in a temporary directory, DHT, local peer discovery, PEX, uTP and port mapping off, peers
// and RPC bound to 127.0.0.1. A torrent is added over RPC with its data already in place, verified, and seeded.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface TorrentState {
  /** Transmission's status: 0 stopped, 2 checking, 4 downloading, 6 seeding. */
  status: number;
  percentDone: number;
  /** Its piece bitfield, as hex in BEP 3 bit order. */
  pieces: string;
  error: number;
  errorString: string;
}

export interface Transmission {
  peerPort: number;
  /** Adds a torrent whose data is in `downloadDir`, verifies it, and waits until the check is done. */
  add(torrent: Uint8Array, downloadDir: string): Promise<TorrentState>;
  output(): string;
  stop(): Promise<void>;
}

export async function startTransmission(): Promise<Transmission> {
  const dir = mkdtempSync(join(tmpdir(), 'torrent-lens-transmission-'));
  const config = join(dir, 'config');
  const downloads = join(dir, 'downloads');
  mkdirSync(config);
  mkdirSync(downloads);
  const rpcPort = await freePort();
  const peerPort = await freePort();
  writeFileSync(
    join(config, 'settings.json'),
    JSON.stringify({
      'bind-address-ipv4': '127.0.0.1',
      'bind-address-ipv6': '::1',
      'rpc-bind-address': '127.0.0.1',
      'rpc-port': rpcPort,
      'rpc-authentication-required': false,
      'rpc-whitelist': '127.0.0.1',
      'peer-port': peerPort,
      'peer-port-random-on-start': false,
      'dht-enabled': false,
      'lpd-enabled': false,
      'pex-enabled': false,
      'utp-enabled': false,
      'port-forwarding-enabled': false,
      'blocklist-enabled': false,
      'start-added-torrents': true,
      'download-dir': downloads,
      'message-level': 1,
    }),
  );
  const child = spawn(
    'transmission-daemon',
    [
      '-f',
      '-g',
      config,
      '-p',
      String(rpcPort),
      '-P',
      String(peerPort),
      '--no-auth',
      '-w',
      downloads,
      '-r',
      '127.0.0.1',
      '-i',
      '127.0.0.1',
      '-O',
      '-Y',
      '-M',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let output = '';
  const collect = (d: Buffer) => {
    if (output.length < 32_768) output += d.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('close', () => {
      exited = true;
      running.delete(child);
      resolve();
    }),
  );
  let sessionId = '';
  const rpc = async (method: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { status, headers, body } = await post(rpcPort, JSON.stringify({ method, arguments: args }), sessionId);
      if (status === 409) {
        sessionId = String(headers['x-transmission-session-id'] ?? '');
        continue;
      }
      const answer = JSON.parse(body) as { result: string; arguments: Record<string, unknown> };
      if (answer.result !== 'success') throw new Error(`transmission ${method}: ${answer.result}`);
      return answer.arguments;
    }
    throw new Error(`transmission ${method}: no session id`);
  };
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`transmission-daemon ended: ${output}`);
      try {
        await rpc('session-get');
        break;
      } catch (error) {
        if (i > 100) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    peerPort,
    output: () => output,
    stop,
    async add(torrent, downloadDir) {
      const added = await rpc('torrent-add', { metainfo: Buffer.from(torrent).toString('base64'), 'download-dir': downloadDir });
      const id = ((added['torrent-added'] ?? added['torrent-duplicate']) as { id: number }).id;
      await rpc('torrent-verify', { ids: [id] });
      for (let i = 0; i < 300; i++) {
        const got = await rpc('torrent-get', { ids: [id], fields: ['status', 'percentDone', 'pieces', 'error', 'errorString'] });
        const t = (got.torrents as (Omit<TorrentState, 'pieces'> & { pieces: string })[])[0];
        // 1 and 2 are "waiting to check" and "checking"; after that the torrent seeds (6) or downloads (4).
        if (t.status === 6 || t.status === 4) return { ...t, pieces: Buffer.from(t.pieces, 'base64').toString('hex') };
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`transmission did not finish checking: ${output}`);
    },
  };
}

function post(port: number, body: string, sessionId: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/transmission/rpc',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-transmission-session-id': sessionId },
        timeout: 5000,
        agent: false,
      },
      (response) => {
        let text = '';
        response.on('data', (d: Buffer) => (text += d.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error('transmission RPC timed out')));
    request.end(body);
  });
}
