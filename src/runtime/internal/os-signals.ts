/*
 * Graceful shutdown on SIGTERM and SIGINT: the first signal stops the node in order and then ends
 * the Node.js process with status 0; a second signal while stopping ends it at once with status 1.
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Installs the handlers; returns the function that removes them. */
export function handleShutdownSignals(stop: () => Promise<void>): () => void {
  const forceExit = () => process.exit(1);
  const onSignal = () => {
    uninstall();
    for (const signal of SIGNALS) process.once(signal, forceExit);
    stop().then(
      () => exitSoon(0),
      () => exitSoon(1),
    );
  };
  const uninstall = () => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return uninstall;
}

/** Lets the event loop finish on its own (flushing output); forces the exit if something holds it open. */
export function exitSoon(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 200).unref();
}
