// Runs test/e2e/integration/suite.ts inside a real VS Code's extension host, with the extension loaded
// from this repository's dist/ (as in an extension development window).
//
// code-server starts an extension host only for a connected workbench, so headless Chromium opens one
// with VS Code's development payload (extensionDevelopmentPath, extensionTestsPath); the workbench reports
// the outcome of the suite's run() through codeAutomationExit.
//
//   node test/e2e/run-integration.mjs     (after `npm run build`; `npm run test:integration` does both)
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { ensureVsCodeServer } from './install-vscode-server.mjs';
import {
  artifactsDir,
  launchBrowser,
  makeSandbox,
  openWorkbench,
  remoteAuthority,
  repoRoot,
  startCodeServer,
  writeUserSettings,
} from './lib/harness.mjs';
import { onInterrupt } from './lib/processes.mjs';

const RUN_TIMEOUT_MS = 5 * 60_000;
/** The suite marks its own console lines with this (see report() in suite.ts). */
const SUITE_OUTPUT_PREFIX = 'torrent-lens-test| ';

async function main() {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  ensureVsCodeServer();
  const started = Date.now();
  const sandbox = makeSandbox('integration');
  let server;
  let browser;
  const cleanUp = async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    sandbox.dispose();
  };
  const forget = onInterrupt(cleanUp);
  try {
    // The suite is TypeScript that imports the project's own code; VS Code loads it with require().
    const suite = join(sandbox.root, 'integration', 'suite.js');
    await esbuild.build({
      entryPoints: [join(repoRoot, 'test', 'e2e', 'integration', 'suite.ts')],
      outfile: suite,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      sourcemap: 'inline',
      logLevel: 'warning',
    });

    writeUserSettings(sandbox);
    server = await startCodeServer(sandbox);
    const authority = await remoteAuthority(server);
    const launched = await launchBrowser(sandbox);
    browser = launched.browser;
    const { page } = launched;

    let finish;
    const exitCode = new Promise((resolve) => {
      finish = resolve;
    });
    const transcript = [];
    await openWorkbench(page, server, {
      folder: sandbox.workspace,
      waitForExplorer: false,
      payload: [
        ['extensionDevelopmentPath', `vscode-remote://${authority}${repoRoot}`],
        ['extensionTestsPath', `vscode-remote://${authority}${suite}`],
      ],
      onExit: (code) => finish(code),
      onLog: (type, args) => {
        const line = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
        transcript.push(`[${type}] ${line}`);
        // The suite's own lines go to the terminal; the workbench's chatter only to the log file.
        for (const part of line.split('\n')) if (part.startsWith(SUITE_OUTPUT_PREFIX)) console.log(part.slice(SUITE_OUTPUT_PREFIX.length));
      },
    });
    const timer = setTimeout(() => finish(-1), RUN_TIMEOUT_MS);
    const code = await exitCode;
    clearTimeout(timer);
    writeFileSync(join(sandbox.logs, 'workbench.log'), transcript.join('\n'));
    if (code !== 0) {
      mkdirSync(artifactsDir, { recursive: true });
      copyFileSync(join(sandbox.logs, 'workbench.log'), join(artifactsDir, 'integration-workbench.log'));
      copyFileSync(server.logFile, join(artifactsDir, 'integration-code-server.log'));
      await page.screenshot({ path: join(artifactsDir, 'integration-failure.png') }).catch(() => {});
      if (code === -1) console.error(`integration tests did not finish within ${RUN_TIMEOUT_MS / 1000} s`);
      console.error('integration tests failed; logs and a screenshot are in test-results/');
    }
    console.log(`integration run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return code === 0 ? 0 : 1;
  } finally {
    forget();
    await cleanUp();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
