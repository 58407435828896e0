/**
 * CPU time read from Linux's /proc, for benchmarks that say where a machine's time goes: one
 * process (user + system), a server with its worker children (PostgreSQL's postmaster and its
 * backends), and the whole machine (busy and all time over every core). Times are in
 * milliseconds; /proc counts in clock ticks of 1/100 s (USER_HZ, 100 on every Linux Node runs on).
 */
import { readdirSync, readFileSync } from 'node:fs';

const MS_PER_TICK = 10;

/** The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * User + system CPU of the process in a /proc/PID/stat text, in ms; with `reapedChildren`, also the
 * CPU of its children that have ended and been waited for (cutime + cstime).
 */
export function processCpuMsFromStat(stat: string, opts: { reapedChildren?: boolean } = {}): number {
  const f = statFields(stat);
  // After the name: state (0), ppid (1), … utime (11), stime (12), cutime (13), cstime (14).
  const ticks = Number(f[11]) + Number(f[12]) + (opts.reapedChildren ? Number(f[13]) + Number(f[14]) : 0);
  if (!Number.isFinite(ticks)) throw new RangeError('not a /proc/PID/stat line');
  return ticks * MS_PER_TICK;
}

/** The parent's pid in a /proc/PID/stat text. */
export function parentPidFromStat(stat: string): number {
  return Number(statFields(stat)[1]);
}

/** The whole machine's CPU so far from a /proc/stat text, in ms summed over every core. */
export function machineCpuMsFromStat(procStat: string): { busyMs: number; totalMs: number } {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new RangeError('no "cpu " line in /proc/stat');
  // user nice system idle iowait irq softirq steal (guest and guest_nice are inside user and nice).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/u)
    .slice(1, 9)
    .map((n) => Number(n) || 0) as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq + steal;
  return { busyMs: busy * MS_PER_TICK, totalMs: (busy + idle + iowait) * MS_PER_TICK };
}

const readStat = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8');

/** User + system CPU of these processes so far, in ms. */
export function processesCpuMs(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + processCpuMsFromStat(readStat(pid)), 0);
}

/**
 * User + system CPU of these processes' main threads so far, in ms: for Node, the JavaScript
 * thread (the event loop). The rest of a process's CPU is its other threads: V8's garbage
 * collection and compilation helpers, libuv's pool (file system syncs, async crypto).
 */
export function mainThreadsCpuMs(pids: readonly number[]): number {
  return pids.reduce(
    (sum, pid) => sum + processCpuMsFromStat(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')),
    0,
  );
}

/**
 * A server with worker processes (PostgreSQL: the postmaster, its backends, its writers), in ms so
 * far: the server's own CPU, its ended children's, and each living child's. The difference of two
 * readings is the tree's CPU between them, backends that ended in between included.
 */
export function processTreeCpuMs(rootPid: number): number {
  let ms = processCpuMsFromStat(readStat(rootPid), { reapedChildren: true });
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    let stat: string;
    try {
      stat = readStat(Number(entry));
    } catch {
      continue; // ended while the list was read
    }
    if (parentPidFromStat(stat) === rootPid) ms += processCpuMsFromStat(stat);
  }
  return ms;
}

/** The whole machine's CPU so far (every core, every process). */
export function machineCpuMs(): { busyMs: number; totalMs: number } {
  return machineCpuMsFromStat(readFileSync('/proc/stat', 'utf8'));
}
