import { readdirSync, readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100 // USER_HZ on Linux

/** Fields of /proc/<pid>/stat after the command name: state is [0], ppid [1], utime [11], stime [12]. */
function stat(pid: string): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return text.slice(text.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null // gone meanwhile
  }
}

/**
 * CPU seconds used so far by a PostgreSQL server: its postmaster and every backend and helper it
 * forked (Linux only; 0 elsewhere). Backends that exited are not counted, so sample while the
 * connections are open. `backendPid` is any backend's `pg_backend_pid()`.
 */
export function postgresCpuSeconds(backendPid: number): number {
  const postmaster = stat(String(backendPid))?.[1]
  if (!postmaster) return 0
  let ticks = 0
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p))
  } catch {
    return 0
  }
  for (const pid of pids) {
    const fields = pid === postmaster ? stat(pid) : (() => { const f = stat(pid); return f?.[1] === postmaster ? f : null })()
    if (fields) ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / TICKS_PER_SECOND
}

/** CPU seconds used so far by one process (Linux only; 0 elsewhere). */
export function processCpuSeconds(pid: number): number {
  const fields = stat(String(pid))
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : 0
}
