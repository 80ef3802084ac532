import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

function pathText(path: PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : '(root)';
}

/**
 * One line per problem, `key.path: message`. For a value that matches no branch of a union (e.g.
 * `"local"` or an endpoint object), the problems of the closest branch are listed instead of
 * zod's bare "Invalid input".
 */
export function describeIssues(issues: readonly Issue[], prefix: PropertyKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The branch that got furthest: fewest problems that are not a plain literal/type mismatch at the root.
      const ranked = [...issue.errors].sort((a, b) => score(a) - score(b));
      const best = ranked[0] ?? [];
      lines.push(...describeIssues(best, path));
      continue;
    }
    if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      // A record key that fails its schema: say what the key must look like, not just "Invalid key".
      lines.push(`${pathText(path)}: invalid key: ${issue.issues.map((inner) => inner.message).join('; ')}`);
      continue;
    }
    lines.push(`${pathText(path)}: ${issue.message}`);
  }
  return lines;
}

function score(branch: readonly Issue[]): number {
  const shallowMismatch = branch.some((issue) => issue.path.length === 0 && (issue.code === 'invalid_value' || issue.code === 'invalid_type'));
  return (shallowMismatch ? 1000 : 0) + branch.length;
}
