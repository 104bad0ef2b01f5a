// Ctrl-C for long commands: the first press aborts the run's signal, so the run stops cleanly (the
// hashing threads stop, a temporary file is removed, the answers so far are printed); a second press
// exits at once with status 130.

/** Runs `work` with a signal that Ctrl-C aborts; a second Ctrl-C exits at once with status 130. */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
