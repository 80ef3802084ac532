// Memory of a process and of its descendants (Chromium under a browser worker), read from /proc.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcessEntry {
  parent: number;
  rssKiB: number;
  /** Proportional set size when the kernel exposes it (shared pages split between sharers). */
  pssKiB: number | undefined;
}

function readProcessTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      let pssKiB: number | undefined;
      try {
        const pss = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8'))?.[1];
        pssKiB = pss === undefined ? undefined : Number(pss);
      } catch {
        pssKiB = undefined;
      }
      table.set(Number(entry), {
        parent: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0),
        rssKiB: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
        pssKiB,
      });
    } catch {
      // The process ended between listing and reading.
    }
  }
  return table;
}

export interface ProcessMemory {
  /** Resident set of the process itself (KiB). */
  ownRssKiB: number;
  /** The process's RSS plus its descendants' PSS (RSS where PSS is unreadable), in KiB. */
  treeKiB: number;
}

/** Memory of each given root process and its tree, from one read of /proc (roots that are gone are left out). */
export function measureProcessTrees(roots: readonly number[]): Map<number, ProcessMemory> {
  const table = readProcessTable();
  const children = new Map<number, number[]>();
  for (const [pid, entry] of table) children.set(entry.parent, [...(children.get(entry.parent) ?? []), pid]);
  const result = new Map<number, ProcessMemory>();
  for (const root of roots) {
    const own = table.get(root);
    if (!own) continue;
    let treeKiB = 0;
    const pending = [root];
    const seen = new Set<number>();
    while (pending.length > 0) {
      const pid = pending.pop()!;
      if (seen.has(pid)) continue;
      seen.add(pid);
      const entry = table.get(pid);
      if (entry) treeKiB += pid === root ? entry.rssKiB : entry.pssKiB ?? entry.rssKiB;
      pending.push(...(children.get(pid) ?? []));
    }
    result.set(root, { ownRssKiB: own.rssKiB, treeKiB });
  }
  return result;
}
