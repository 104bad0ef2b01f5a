// Child processes that must not outlive the run: code-server forks a server, extension hosts, a pty host
// and file watchers, and extension hosts stay alive for hours waiting for a reconnect. Every process tree
// started here is killed by PID when it is stopped, and also when this process exits, is interrupted or crashes.
import { readdirSync, readFileSync } from 'node:fs';

/** @type {Map<number, () => Promise<void>>} root PID -> graceful stop */
const running = new Map();
let handlersInstalled = false;

/** Parent PID of every process, from /proc. */
function parentsByPid() {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const list = children.get(ppid);
    if (list) list.push(Number(entry));
    else children.set(ppid, [Number(entry)]);
  }
  return children;
}

/** The PIDs below `pid` (not `pid` itself), parents before children. */
export function descendantsOf(pid) {
  const children = parentsByPid();
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = children.get(/** @type {number} */ (queue.shift())) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** SIGKILLs a process and everything below it, at once. For exit paths that cannot wait. */
export function killTreeNow(pid) {
  const all = [pid, ...descendantsOf(pid)];
  for (const p of all) signal(p, 'SIGKILL');
}

/**
 * Stops a process tree: SIGTERM to the root, then after `graceMs` SIGKILL to whatever is left of the tree
 * as it was when the stop began (so nothing that merely reuses a PID later is touched).
 */
export async function stopTree(pid, graceMs = 3000) {
  const tree = [pid, ...descendantsOf(pid)];
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && tree.some(isAlive)) await new Promise((resolve) => setTimeout(resolve, 100));
  // Children reparented while we waited are still found through the snapshot.
  for (const p of tree) if (isAlive(p)) signal(p, 'SIGKILL');
}

/**
 * Remembers a process tree so it is killed however this process ends. Returns a stop function that
 * stops it gracefully and forgets it; calling it again does nothing.
 */
export function track(pid, graceMs = 3000) {
  installHandlers();
  let stopping;
  const stop = () => {
    stopping ??= stopTree(pid, graceMs).finally(() => running.delete(pid));
    return stopping;
  };
  running.set(pid, stop);
  return stop;
}

/** Synchronous last-moment clean-up (removing folders) for whenever this process exits, after the kills. */
const exitCleanups = new Set();
export function onExit(fn) {
  installHandlers();
  exitCleanups.add(fn);
  return () => exitCleanups.delete(fn);
}

/** Registers extra clean-up (closing a browser, removing a sandbox) that runs on Ctrl-C or SIGTERM. */
const cleanups = new Set();
export function onInterrupt(fn) {
  installHandlers();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const pid of running.keys()) killTreeNow(pid);
    for (const fn of exitCleanups) {
      try {
        fn();
      } catch {
        // best effort: the process is ending
      }
    }
  });
  for (const [sig, code] of /** @type {const} */ ([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ])) {
    process.once(sig, () => {
      const all = [...running.values()].map((stop) => stop());
      for (const fn of cleanups) all.push(Promise.resolve().then(fn));
      // A second signal, or a clean-up that hangs, must not keep us alive.
      const timer = setTimeout(() => process.exit(code), 8000);
      void Promise.allSettled(all).then(() => {
        clearTimeout(timer);
        process.exit(code);
      });
    });
  }
}
