import { describe, expect, it } from 'vitest';
import { parseFuncExpression } from '../../src/evaluators/func-expression';

describe('parseFuncExpression', () => {
  it('parses the forms WebArena tasks use', () => {
    expect(parseFuncExpression('func:shopping_get_latest_order_url()')).toEqual({ name: 'shopping_get_latest_order_url', args: [] });
    expect(parseFuncExpression("func:reddit_get_post_url('__last_url__')")).toEqual({ name: 'reddit_get_post_url', args: [{ kind: 'string', value: '__last_url__' }] });
    expect(parseFuncExpression("func:gitlab_get_project_memeber_role(__page__, 'yjlou')")).toEqual({
      name: 'gitlab_get_project_memeber_role',
      args: [{ kind: 'page' }, { kind: 'string', value: 'yjlou' }],
    });
    expect(parseFuncExpression('func:f("it\'s", \'a\\\'b\')').args).toEqual([{ kind: 'string', value: "it's" }, { kind: 'string', value: "a'b" }]);
  });

  it('rejects anything else with a message naming the expression', () => {
    expect(() => parseFuncExpression('func:f(')).toThrow('func expression "func:f(": expected name(arguments)');
    expect(() => parseFuncExpression('func:f(page)')).toThrow('unsupported argument');
    expect(() => parseFuncExpression("func:f('a' 'b')")).toThrow('expected ","');
    expect(() => parseFuncExpression("func:f('a)")).toThrow('unterminated string literal');
    expect(() => parseFuncExpression('f()')).toThrow('does not start with "func:"');
  });
});
