/**
 * Set when the process has been told to stop (SIGTERM): readiness turns 503 so the orchestrator
 * stops routing work here, and long jobs (connector runs) stop at their next page boundary.
 */
export class ShutdownState {
  private readonly controller = new AbortController();

  get stopping(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted when stopping begins: pass it to work that can stop early and hand back what is left. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  begin(): void {
    if (!this.stopping) this.controller.abort(new Error('the process is stopping'));
  }
}

/**
 * After SIGTERM or SIGINT, the process gets `timeoutMs` to finish its running jobs (Nest's shutdown
 * hooks close the BullMQ workers, which wait for them); past that it exits anyway, and BullMQ's
 * stalled-job check hands what was still running to another worker once its lock expires.
 */
export function exitAfterShutdownTimeout(timeoutMs: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: `shutdown took longer than ${timeoutMs} ms: exiting with jobs still running (BullMQ hands them back when their lock expires)` })}\n`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
