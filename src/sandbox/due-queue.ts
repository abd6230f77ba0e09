/**
 * Scheduled simulator steps in a binary min-heap on time, so each request's "what is due now?"
 * costs O(log n) per step instead of a scan of every mail (the dispatch benchmark sends 100k+).
 */
export class DueQueue<T> {
  private readonly heap: { at: number; seq: number; item: T }[] = []
  private seq = 0

  push(at: number, item: T): void {
    const heap = this.heap
    heap.push({ at, seq: this.seq++, item })
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(i, parent)) break
      ;[heap[i], heap[parent]] = [heap[parent]!, heap[i]!]
      i = parent
    }
  }

  /** Removes and returns, in time order (ties in insertion order), every item due at or before `now`. */
  popDue(now: number): T[] {
    const due: T[] = []
    while (this.heap.length && this.heap[0]!.at <= now) due.push(this.pop())
    return due
  }

  private pop(): T {
    const heap = this.heap
    const top = heap[0]!
    const last = heap.pop()!
    if (heap.length) {
      heap[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < heap.length && this.before(l, m)) m = l
        if (r < heap.length && this.before(r, m)) m = r
        if (m === i) break
        ;[heap[i], heap[m]] = [heap[m]!, heap[i]!]
        i = m
      }
    }
    return top.item
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a]!
    const y = this.heap[b]!
    return x.at < y.at || (x.at === y.at && x.seq < y.seq)
  }
}
