// Memory of this process's descendants (Chromium and its helpers), read from /proc, sampled on a
// timer so the bench can report a peak without the browser's cooperation. Each process counts its
// proportional set size (shared pages split between the processes sharing them), so the sum is not
// inflated by the libraries every Chromium process maps; plain RSS is the fallback.
import { readdirSync, readFileSync } from 'node:fs';

/** Proportional set size (KiB) of a process, or undefined when the kernel does not expose it to us. */
function proportionalKiB(pid: string): number | undefined {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const pss = /^Pss:\s+(\d+)/m.exec(rollup)?.[1];
    return pss === undefined ? undefined : Number(pss);
  } catch {
    return undefined;
  }
}

// Linux reports CPU times in /proc/<pid>/stat in clock ticks of USER_HZ, which is 100 on every
// architecture Linux ships (sysconf(_SC_CLK_TCK)).
const MS_PER_CLOCK_TICK = 10;

/**
 * CPU time (ms) a process used, plus that of its children it has reaped: utime + stime + cutime +
 * cstime. Chromium's zygote reaps the renderers, so a renderer closed with its context still counts.
 */
function cpuMsWithReapedChildren(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3, `state`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * MS_PER_CLOCK_TICK;
  } catch {
    return 0;
  }
}

/** Parent pid, name and memory (KiB) of every process visible in /proc. */
function processTable(): Map<number, { parent: number; name: string; rssKiB: number }> {
  const table = new Map<number, { parent: number; name: string; rssKiB: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const parent = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '';
      const rssKiB = proportionalKiB(entry) ?? Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      table.set(Number(entry), { parent, name, rssKiB });
    } catch {
      // The process ended between listing and reading.
    }
  }
  return table;
}

/** The pids of the descendants of `root` whose name matches `namePattern`. */
function descendantsOf(table: ReturnType<typeof processTable>, root: number, namePattern: RegExp): number[] {
  const found: number[] = [];
  for (const [pid, info] of table) {
    if (!namePattern.test(info.name)) continue;
    let ancestor = info.parent;
    // Walk up until the root or init; the depth bound guards against a pid reused mid-walk.
    for (let depth = 0; depth < 64 && ancestor > 1 && ancestor !== root; depth += 1) ancestor = table.get(ancestor)?.parent ?? 0;
    if (ancestor === root && pid !== root) found.push(pid);
  }
  return found;
}

/** Sum of memory (KiB, PSS where readable) of the descendants of `root` whose name matches `namePattern`. */
export function descendantRssKiB(root: number, namePattern: RegExp): number {
  const table = processTable();
  return descendantsOf(table, root, namePattern).reduce((total, pid) => total + (table.get(pid)?.rssKiB ?? 0), 0);
}

/**
 * CPU time (ms) used so far by the live descendants of `root` whose name matches `namePattern`,
 * including the children they reaped. The difference of two readings is the CPU those processes
 * spent in between, as long as none of the matching processes themselves ended.
 */
export function descendantCpuMs(root: number, namePattern: RegExp): number {
  return descendantsOf(processTable(), root, namePattern).reduce((total, pid) => total + cpuMsWithReapedChildren(String(pid)), 0);
}

/** Samples descendant memory every `intervalMs` and remembers the highest sum seen. */
export class PeakDescendantMemory {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly namePattern: RegExp, intervalMs = 500) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Takes one sample now. */
  sample(): void {
    this.peak = Math.max(this.peak, descendantRssKiB(process.pid, this.namePattern));
  }

  /** Stops sampling and returns the peak in MiB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return Math.round(this.peak / 1024);
  }
}
