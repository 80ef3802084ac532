import { z } from 'zod';

/** A task template as capability grouping sees it (WebArena's intent_template_id, sites, template text). */
export const taskTemplateSchema = z.strictObject({
  intentTemplateId: z.number().int(),
  sites: z.array(z.string().min(1)).min(1),
  intentTemplate: z.string(),
});
export type TaskTemplate = z.infer<typeof taskTemplateSchema>;

/** One capability: templates treated as the same skill. Its id is its lowest template id. */
export interface CapabilityGroup {
  capabilityId: number;
  templateIds: number[];
  sites: string[];
}

/** METHOD.md: templates on the same sites with embedding similarity >= 0.6 are one capability. */
export const CAPABILITY_MERGE_SIMILARITY = 0.6;

/**
 * Groups templates into capabilities. Without embeddings each template id is its own capability.
 * With embeddings (of the template wording, keyed by template id), two templates on the same set of
 * sites (the union over each template's tasks) whose cosine similarity is >= the threshold are
 * merged; merging is transitive.
 */
export function groupCapabilities(
  templates: readonly TaskTemplate[],
  options: { embeddings?: ReadonlyMap<number, ArrayLike<number>>; similarityThreshold?: number } = {},
): CapabilityGroup[] {
  const unique = uniqueTemplates(templates);
  const parent = new Map<number, number>(unique.map((template) => [template.intentTemplateId, template.intentTemplateId]));
  const root = (id: number): number => {
    let current = id;
    while (parent.get(current) !== current) current = parent.get(current)!;
    parent.set(id, current);
    return current;
  };
  const { embeddings } = options;
  if (embeddings) {
    const threshold = options.similarityThreshold ?? CAPABILITY_MERGE_SIMILARITY;
    const bySites = new Map<string, TaskTemplate[]>();
    for (const template of unique) {
      const key = siteKey(template.sites);
      bySites.set(key, [...(bySites.get(key) ?? []), template]);
    }
    for (const group of bySites.values()) {
      for (let first = 0; first < group.length; first += 1) {
        for (let second = first + 1; second < group.length; second += 1) {
          const a = group[first]!.intentTemplateId;
          const b = group[second]!.intentTemplateId;
          if (cosineSimilarity(embeddingOf(embeddings, a), embeddingOf(embeddings, b), a, b) >= threshold) {
            const rootA = root(a);
            const rootB = root(b);
            parent.set(Math.max(rootA, rootB), Math.min(rootA, rootB));
          }
        }
      }
    }
  }
  const groups = new Map<number, CapabilityGroup>();
  for (const template of unique) {
    const capabilityId = root(template.intentTemplateId);
    const group = groups.get(capabilityId) ?? { capabilityId, templateIds: [], sites: [...template.sites].sort() };
    group.templateIds.push(template.intentTemplateId);
    groups.set(capabilityId, group);
  }
  return [...groups.values()]
    .map((group) => ({ ...group, templateIds: group.templateIds.sort((a, b) => a - b) }))
    .sort((a, b) => a.capabilityId - b.capabilityId);
}

/** template id -> capability id for a set of groups. */
export function capabilityIdByTemplate(groups: readonly CapabilityGroup[]): Map<number, number> {
  const byTemplate = new Map<number, number>();
  for (const group of groups) for (const templateId of group.templateIds) byTemplate.set(templateId, group.capabilityId);
  return byTemplate;
}

/** One entry per template id; a template's sites are the union over its tasks (WebArena's
 * template 42 has tasks on `map` alone and on `map` + `shopping_admin`). */
function uniqueTemplates(templates: readonly TaskTemplate[]): TaskTemplate[] {
  const byId = new Map<number, TaskTemplate>();
  for (const template of templates) {
    const known = byId.get(template.intentTemplateId);
    const sites = [...new Set([...(known?.sites ?? []), ...template.sites])].sort();
    byId.set(template.intentTemplateId, { ...(known ?? template), sites });
  }
  return [...byId.values()];
}

function siteKey(sites: readonly string[]): string {
  return [...new Set(sites)].sort().join('|');
}

function embeddingOf(embeddings: ReadonlyMap<number, ArrayLike<number>>, templateId: number): ArrayLike<number> {
  const embedding = embeddings.get(templateId);
  if (!embedding) throw new RangeError(`groupCapabilities: no embedding for template ${templateId}`);
  return embedding;
}

function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>, idA: number, idB: number): number {
  if (a.length !== b.length) {
    throw new RangeError(`groupCapabilities: embeddings of templates ${idA} and ${idB} differ in width (${a.length} vs ${b.length})`);
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    dot += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
}
