import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupCapabilities, type TaskTemplate } from '../../src/metrics/capability-groups';
import { compareCapabilities, scoreCapabilities } from '../../src/metrics/capability-score';
import type { TaskScore } from '../../src/metrics/task-score';

const templates: TaskTemplate[] = [
  { intentTemplateId: 10, sites: ['shopping'], intentTemplate: 'What is the price of {{product}}?' },
  { intentTemplateId: 11, sites: ['shopping'], intentTemplate: 'How much does {{product}} cost?' },
  { intentTemplateId: 12, sites: ['shopping'], intentTemplate: 'Cancel order {{id}}' },
  { intentTemplateId: 20, sites: ['reddit'], intentTemplate: 'What is the price of {{product}}?' },
  { intentTemplateId: 11, sites: ['shopping'], intentTemplate: 'How much does {{product}} cost?' },
];
// 10 and 11 point the same way (cosine 0.8); 20 is identical in wording to 10 but on another site.
const embeddings = new Map<number, number[]>([
  [10, [1, 0, 0]],
  [11, [0.8, 0.6, 0]],
  [12, [0, 0, 1]],
  [20, [1, 0, 0]],
]);

const scores = (solved: Record<number, number[]>): TaskScore[] =>
  Object.entries(solved).flatMap(([templateId, values]) =>
    values.map((value, index) => ({ taskId: `${templateId}-${index}`, intentTemplateId: Number(templateId), score: value })),
  );

describe('groupCapabilities', () => {
  it('makes one capability per template id without embeddings', () => {
    expect(groupCapabilities(templates).map((group) => group.templateIds)).toEqual([[10], [11], [12], [20]]);
  });

  it('merges near-identical templates on the same sites only', () => {
    const groups = groupCapabilities(templates, { embeddings });
    expect(groups).toEqual([
      { capabilityId: 10, templateIds: [10, 11], sites: ['shopping'] },
      { capabilityId: 12, templateIds: [12], sites: ['shopping'] },
      { capabilityId: 20, templateIds: [20], sites: ['reddit'] },
    ]);
  });

  it('keeps templates apart below the similarity threshold', () => {
    const groups = groupCapabilities(templates, { embeddings, similarityThreshold: 0.81 });
    expect(groups).toHaveLength(4);
  });

  it('merges transitively', () => {
    const chain = new Map<number, number[]>([
      [10, [1, 0, 0]],
      [11, [0.8, 0.6, 0]],
      [12, [0.28, 0.96, 0]], // 0.8 with 11, 0.28 with 10
      [20, [1, 0, 0]],
    ]);
    expect(groupCapabilities(templates, { embeddings: chain })[0]!.templateIds).toEqual([10, 11, 12]);
  });

  it('names a template with no embedding', () => {
    expect(() => groupCapabilities(templates, { embeddings: new Map([[10, [1]]]) })).toThrow(/no embedding for template 11/);
  });

  it("takes a template's sites as the union over its tasks, so it merges only with templates on all of them", () => {
    const widened = [...templates, { ...templates[1]!, sites: ['shopping', 'reddit'] }];
    const groups = groupCapabilities(widened, { embeddings });
    expect(groups.find((group) => group.templateIds.includes(11))).toEqual({
      capabilityId: 11,
      templateIds: [11],
      sites: ['reddit', 'shopping'],
    });
  });
});

describe('capability groups on WebArena', () => {
  it('gives one capability per template id of the 812 tasks (190) without embeddings', async () => {
    const file = join(import.meta.dirname, '..', '..', '..', 'shared', 'webarena', 'test.raw.json');
    const tasks = JSON.parse(await readFile(file, 'utf8')) as Array<{ intent_template_id: number; sites: string[]; intent_template: string }>;
    const groups = groupCapabilities(
      tasks.map((task) => ({ intentTemplateId: task.intent_template_id, sites: task.sites, intentTemplate: task.intent_template })),
    );
    expect(tasks).toHaveLength(812);
    expect(groups).toHaveLength(190);
    // Template 42 has tasks on map alone and on map + shopping_admin.
    expect(groups.find((group) => group.capabilityId === 42)?.sites).toEqual(['map', 'shopping_admin']);
  });
});

describe('capability score', () => {
  const groups = groupCapabilities(templates, { embeddings });

  it('counts capabilities with at least one solved task', () => {
    const result = scoreCapabilities(scores({ 10: [0, 0], 11: [1], 12: [0], 20: [1, 0] }), groups);
    expect(result).toEqual({ score: 2, evaluated: 3, solvedCapabilityIds: [10, 20] });
  });

  it('lists capabilities gained and lost between two models', () => {
    const before = scoreCapabilities(scores({ 10: [1], 12: [0], 20: [1] }), groups);
    const after = scoreCapabilities(scores({ 10: [1], 12: [1], 20: [0] }), groups);
    expect(compareCapabilities(before, after)).toEqual({ gained: [12], lost: [20], kept: [10] });
  });

  it('rejects a task whose template is in no group', () => {
    expect(() => scoreCapabilities(scores({ 99: [1] }), groups)).toThrow(/task 99-0 has template 99/);
  });
});
