// Packages the extension as torrent-lens-<version>.vsix with @vscode/vsce (which first runs the
// `vscode:prepublish` production build), then checks what went in: only the bundles, the icon, the docs
// and package.json, and a small total. `npm run package`
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Fails the packaging when the .vsix grows past this: the bundles are a few hundred kB. */
const MAX_VSIX_BYTES = 3 * 1024 * 1024;

/** What may be in the .vsix (paths inside the zip). Anything else means .vscodeignore let something through. */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/package\.nls\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/LICENSE(\.txt)?$/,
  /^extension\/media\/icon\.png$/,
  /^extension\/dist\/(extension|cli|hash-worker)\.js$/,
  /^extension\/dist\/webview\/[\w.-]+\.(js|css|ttf)$/,
];

/** Names and sizes of a zip's entries, from its central directory. */
export function listZip(path) {
  const zip = readFileSync(path);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error(`${path} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${i}`);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), size, compressed });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Builds and packages the extension; returns the path of the checked .vsix. */
export function packageExtension({ quiet = false } = {}) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const { name, version } = manifest;
  // Everything package.json points to must be in the package.
  const required = ['package.json', 'package.nls.json', manifest.main, manifest.icon, ...Object.values(manifest.bin ?? {})]
    .filter((p) => typeof p === 'string')
    .map((p) => `extension/${p.replace(/^\.\//, '')}`);
  const out = join(root, `${name}-${version}.vsix`);
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  // Everything is bundled, so there are no runtime dependencies for vsce to collect.
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], {
    cwd: root,
    stdio: quiet ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`vsce package failed (exit ${result.status ?? result.signal})`);

  const entries = listZip(out);
  const names = entries.map((e) => e.name);
  const unexpected = names.filter((n) => !ALLOWED.some((pattern) => pattern.test(n)));
  const missing = required.filter((n) => !names.includes(n));
  const bytes = statSync(out).size;
  const problems = [
    ...unexpected.map((n) => `unexpected file in the package: ${n} (update .vscodeignore)`),
    ...missing.map((n) => `missing from the package: ${n}`),
    ...(bytes > MAX_VSIX_BYTES ? [`the package is ${bytes} bytes, over the ${MAX_VSIX_BYTES} byte budget`] : []),
  ];
  if (problems.length > 0) throw new Error(problems.join('\n'));
  if (!quiet) {
    console.log(`\n${out.slice(root.length)}: ${(bytes / 1024).toFixed(0)} kB, ${entries.length} entries`);
    for (const e of entries) console.log(`  ${String(e.size).padStart(9)}  ${e.name}`);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    packageExtension();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
