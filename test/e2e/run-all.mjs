// `npm run test:e2e`: everything that needs a real VS Code. Installs code-server if missing, packages
// the extension (production build + vsce), then runs the extension-host integration tests and the UI
// tests (test/e2e/ui/*.test.mjs, one at a time: each starts its own VS Code). Both suites always run;
// the exit code is non-zero if either failed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageExtension } from '../../scripts/package.mjs';
import { ensureVsCodeServer } from './install-vscode-server.mjs';
import { repoRoot } from './lib/harness.mjs';

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function runSuite(label, args, env) {
  const started = Date.now();
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  return { label, ok, time: seconds(started), detail: ok ? 'passed' : `failed (exit ${result.status ?? result.signal})` };
}

const started = Date.now();
try {
  ensureVsCodeServer();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const results = [];
let vsix;
{
  const packaging = Date.now();
  console.log('\n=== package (production build + vsce) ===');
  try {
    vsix = packageExtension({ quiet: true });
    console.log(`packaged ${vsix}`);
    results.push({ label: 'package', ok: true, time: seconds(packaging), detail: 'passed' });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    results.push({ label: 'package', ok: false, time: seconds(packaging), detail: 'failed' });
  }
}
const env = vsix ? { TORRENT_LENS_VSIX: vsix } : {};
// The integration tests load the extension from dist/, so they run even when packaging failed.
results.push(runSuite('integration tests (extension host)', [join('test', 'e2e', 'run-integration.mjs')], env));
if (vsix) {
  results.push(
    runSuite(
      'UI tests (workbench in Chromium)',
      ['--test', '--test-concurrency=1', '--test-reporter=spec', join('test', 'e2e', 'ui') + '/'],
      env,
    ),
  );
} else {
  results.push({ label: 'UI tests (workbench in Chromium)', ok: false, time: '0 s', detail: 'not run: there is no .vsix to install' });
}
console.log(`\n=== end-to-end summary (${seconds(started)}) ===`);
for (const r of results) console.log(`  ${r.ok ? '✓' : '✗'} ${r.label}: ${r.detail} in ${r.time}`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
