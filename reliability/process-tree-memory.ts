// Memory of process trees read from /proc, for the load script: the resident set of a worker
// process itself (its Node process, VmRSS) and of the Chromium processes under it, counted
// separately. Chromium's processes share most of their pages (libraries, the zygote's heap), so
// their sum is reported as proportional set size (each shared page split between its sharers, from
// /proc/<pid>/smaps_rollup) beside the plain RSS sum, which overcounts.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessTreeMemory {
  /** VmRSS (KiB) of the root process; 0 when it has exited. */
  rootRssKiB: number;
  /** Sum of PSS (KiB) of the descendants whose name matches the pattern (RSS where PSS is unreadable). */
  matchingPssKiB: number;
  /** Sum of VmRSS (KiB) of those descendants (counts shared pages once per process). */
  matchingRssKiB: number;
  /** How many descendants matched. */
  matchingProcesses: number;
}

interface ProcessEntry {
  parent: number;
  name: string;
  rssKiB: number;
}

function readStatus(pid: number): ProcessEntry | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      parent: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0),
      name: /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '',
      rssKiB: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    };
  } catch {
    // The process ended between listing and reading.
    return undefined;
  }
}

function proportionalKiB(pid: number): number | undefined {
  try {
    const pss = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    return pss === undefined ? undefined : Number(pss);
  } catch {
    return undefined;
  }
}

/** Every process visible in /proc (pid -> parent, name, VmRSS): one cheap pass over `status` files. */
export function readProcessTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const status = readStatus(pid);
    if (status) table.set(pid, status);
  }
  return table;
}

/** Whether `pid` descends from `root` in `table` (the depth bound guards against a pid reused mid-walk). */
function descendsFrom(table: Map<number, ProcessEntry>, pid: number, root: number): boolean {
  let ancestor = table.get(pid)?.parent ?? 0;
  for (let depth = 0; depth < 64 && ancestor > 1; depth += 1) {
    if (ancestor === root) return true;
    ancestor = table.get(ancestor)?.parent ?? 0;
  }
  return false;
}

/**
 * The root's own RSS and the memory of its descendants named like `namePattern`. smaps_rollup is read
 * only for those descendants, so a sample stays cheap on a machine with many processes.
 */
export function processTreeMemory(root: number, namePattern: RegExp, table: Map<number, ProcessEntry> = readProcessTable()): ProcessTreeMemory {
  const memory: ProcessTreeMemory = { rootRssKiB: table.get(root)?.rssKiB ?? 0, matchingPssKiB: 0, matchingRssKiB: 0, matchingProcesses: 0 };
  for (const [pid, info] of table) {
    if (pid === root || !namePattern.test(info.name) || !descendsFrom(table, pid, root)) continue;
    memory.matchingProcesses += 1;
    memory.matchingRssKiB += info.rssKiB;
    memory.matchingPssKiB += proportionalKiB(pid) ?? info.rssKiB;
  }
  return memory;
}
