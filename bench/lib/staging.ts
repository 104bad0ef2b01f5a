// The production build and .vsix, made in a copy of the sources so that the repository's own dist/ and
// out/ (development builds the tests and the bench itself run from) stay as they are.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';

export interface ProductionBuild {
  root: string;
  vsix: string;
  /** Every file of the production dist/, with its gzip size (how much of the .vsix it takes). */
  bundles: { path: string; bytes: number; gzipBytes: number }[];
  vsixBytes: number;
  /** Entries of the .vsix, to show what it holds. */
  vsixEntries: number;
}

const COPIED = [
  'package.json',
  'package.nls.json',
  'tsconfig.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  '.vscodeignore',
  'scripts',
  'src',
  'media',
];

/** Copies what the build and packaging read into `dir`, packages there, and measures the result. */
export function productionBuild(repoRoot: string, dir: string): ProductionBuild {
  mkdirSync(dir, { recursive: true });
  for (const entry of COPIED) {
    const from = join(repoRoot, entry);
    if (existsSync(from)) cpSync(from, join(dir, entry), { recursive: true });
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const run = spawnSync(process.execPath, [join(dir, 'scripts', 'package.mjs')], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`packaging failed (exit ${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = join(dir, `${name}-${version}.vsix`);
  const bundles: ProductionBuild['bundles'] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (!path.endsWith('.map'))
        bundles.push({
          path: relative(dir, path),
          bytes: statSync(path).size,
          gzipBytes: gzipSync(readFileSync(path), { level: 9 }).length,
        });
    }
  };
  walk(join(dir, 'dist'));
  const entries = /(\d+) entries/.exec(run.stdout)?.[1];
  return { root: dir, vsix, bundles, vsixBytes: statSync(vsix).size, vsixEntries: entries ? Number(entries) : -1 };
}
