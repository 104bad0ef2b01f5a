// Builds every bundle with esbuild: the extension host, the CLI, the webviews, and the tests.
//   node scripts/build.mjs              development build (source maps)
//   node scripts/build.mjs --production minified, no source maps (what the .vsix ships)
//   node scripts/build.mjs --watch      rebuild on change
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = new URL('..', import.meta.url).pathname;

/** Test files under a folder, recursively. */
function findTests(dir, pattern = /\.test\.ts$/) {
  const abs = join(root, dir);
  const found = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(name)) found.push(relative(root, p));
    }
  };
  try {
    walk(abs);
  } catch {
    return [];
  }
  return found;
}

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  target: 'es2022',
  legalComments: 'none',
};

// ws (the WebSocket tracker client) loads these native speed-ups if it finds them and does without them
// otherwise; bundled, they would only drag in node-gyp-build looking for binaries next to the bundle.
const optionalNative = ['bufferutil', 'utf-8-validate'];

/** @type {esbuild.BuildOptions[]} */
const bundles = [
  {
    // The extension host: CommonJS, `vscode` supplied at run time.
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    external: ['vscode', ...optionalNative],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    external: optionalNative,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The hashing threads of create and verify: the extension and the CLI start it from beside them.
    ...common,
    entryPoints: { 'hash-worker': 'src/core/hashing/worker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
  },
  {
    // Webviews: one script and one stylesheet each; codicons are bundled as a font file next to them.
    ...common,
    entryPoints: {
      editor: 'media/editor/main.ts',
      'editor-style': 'media/editor/editor.css',
      trackers: 'media/trackers/main.ts',
      'trackers-style': 'media/trackers/trackers.css',
      probe: 'media/probe/main.ts',
      'probe-style': 'media/probe/probe.css',
      create: 'media/create/main.ts',
      'create-style': 'media/create/create.css',
      verify: 'media/verify/main.ts',
      'verify-style': 'media/verify/verify.css',
    },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
  },
];

if (!production) {
  bundles.push({
    // Unit, browser, network and interop tests and benchmarks run straight under node; npm packages stay external.
    ...common,
    sourcemap: 'inline',
    entryPoints: [
      ...findTests('test/unit'),
      ...findTests('test/browser'),
      ...findTests('test/network'),
      ...findTests('test/interop'),
      ...findTests('bench', /\.ts$/),
    ],
    outdir: 'out',
    outbase: '.',
    platform: 'node',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    packages: 'external',
  });
}

const existing = bundles
  .map((b) => ({ ...b, entryPoints: filterExisting(b.entryPoints) }))
  .filter((b) => Object.keys(b.entryPoints).length > 0);

function filterExisting(entryPoints) {
  const exists = (p) => {
    try {
      return statSync(join(root, p)).isFile();
    } catch {
      return false;
    }
  };
  if (Array.isArray(entryPoints)) return entryPoints.filter(exists);
  return Object.fromEntries(Object.entries(entryPoints).filter(([, p]) => exists(p)));
}

if (watch) {
  for (const options of existing) (await esbuild.context(options)).watch();
  console.log('watching for changes…');
} else {
  rmSync(join(root, 'out'), { recursive: true, force: true });
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  await Promise.all(existing.map((options) => esbuild.build(options)));
}
