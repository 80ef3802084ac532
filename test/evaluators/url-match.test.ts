import { describe, expect, it } from 'vitest';
import { parsePythonQuery } from '../../src/evaluators/python-url';
import { scoreUrlMatch } from '../../src/evaluators/url-match';
import { taskConfigSchema, type TaskConfig } from '../../src/tasks/task-config';

function task(referenceUrl: string): TaskConfig {
  return taskConfigSchema.parse({
    task_id: 9, sites: ['shopping'], intent: 'Search for tea', intent_template: 'Search for {{x}}', instantiation_dict: { x: 'tea' },
    intent_template_id: 2, start_url: 'http://shop.test', require_login: false, storage_state: null, geolocation: null, require_reset: false,
    eval: { eval_types: ['url_match'], reference_answers: null, reference_url: referenceUrl, program_html: [], url_note: 'GOLD in PRED' },
  });
}

const score = (reference: string, finalUrl: string, mode: 'webarena' | 'ratchet' = 'webarena') => scoreUrlMatch({ task: task(reference), finalUrl, mode }).score;

describe('scoreUrlMatch', () => {
  it('ignores trailing slashes, scheme and fragment', () => {
    expect(score('http://shop.test/account/', 'https://shop.test/account#top')).toBe(1);
    expect(score('http://shop.test/account', 'http://shop.test/orders')).toBe(0);
  });

  it('matches a reference host+path that is a substring of a longer predicted path', () => {
    expect(score('http://shop.test/f/wash', 'http://shop.test/f/washington/comments/1')).toBe(1);
    expect(score('http://shop.test/f/washington', 'http://shop.test/f/wash')).toBe(0);
  });

  it('needs every reference query key to have one of its values, extra predicted keys allowed', () => {
    expect(score('http://shop.test/search?q=green+tea', 'http://shop.test/search?page=2&q=green%20tea')).toBe(1);
    expect(score('http://shop.test/search?q=green+tea', 'http://shop.test/search?q=black+tea')).toBe(0);
    expect(score('http://shop.test/search?q=green+tea', 'http://shop.test/search')).toBe(0);
  });

  it('drops blank query values and keeps surrounding spaces', () => {
    expect(score('http://shop.test/search?q=tea&sort=', 'http://shop.test/search?q=tea')).toBe(1);
    expect(score('http://shop.test/search?q=+tea', 'http://shop.test/search?q=tea')).toBe(0);
    expect(parsePythonQuery('a=+x+&b=&c&a=%E2%9C%93&d=%zz')).toEqual(new Map([['a', [' x ', '✓']], ['d', ['%zz']]]));
  });

  it('merges the queries of |OR| alternatives in webarena mode; ratchet mode checks each alternative alone', () => {
    const reference = 'http://shop.test/search?q=tea |OR| http://shop.test/catalog?cat=drinks';
    expect(score(reference, 'http://shop.test/search?q=tea')).toBe(0);
    expect(score(reference, 'http://shop.test/search?q=tea&cat=drinks')).toBe(1);
    expect(score(reference, 'http://shop.test/search?q=tea', 'ratchet')).toBe(1);
    expect(score(reference, 'http://shop.test/catalog?cat=food', 'ratchet')).toBe(0);
  });
});
