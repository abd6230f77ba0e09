/**
 * Import jobs run in the process that took the upload (no queue: the data is in this process's
 * spool). Closing the app stops them after their current chunk and waits for that.
 */
export class ImportJobs {
  private readonly running = new Set<Promise<void>>()
  private readonly controller = new AbortController()

  start(job: (signal: AbortSignal) => Promise<void>): void {
    const promise: Promise<void> = job(this.controller.signal)
      .catch(() => undefined)
      .finally(() => this.running.delete(promise))
    this.running.add(promise)
  }

  async stop(): Promise<void> {
    this.controller.abort()
    while (this.running.size) await Promise.allSettled([...this.running])
  }
}
