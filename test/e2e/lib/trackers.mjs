// The tracker results panel as the UI tests wait for it.

/** @typedef {import('./harness.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

/**
 * The results panel's frame once it shows a finished run of `kind` with `rowCount` rows.
 * @param {Workbench} wb
 * @param {'announce' | 'scrape'} kind
 * @param {number} rowCount
 * @returns {Promise<Frame>}
 */
export async function finishedRun(wb, kind, rowCount, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = await wb.webviewFrame(`#results[data-kind=${kind}]`);
    const state = await frame
      .evaluate(() => ({
        finished: document.querySelector('#summary')?.getAttribute('data-state') === 'finished',
        rows: document.querySelectorAll('tr.tracker-row').length,
      }))
      .catch(() => ({ finished: false, rows: 0 }));
    if (state.finished && state.rows === rowCount) return frame;
    if (Date.now() > deadline)
      throw new Error(`no finished ${kind} run with ${rowCount} rows in the results panel: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
