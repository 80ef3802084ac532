import { describe, expect, it } from 'vitest';
import type { AccessibilityNode } from '../../src/observation/accessibility-node';
import { formatAccessibilityTree } from '../../src/observation/format-accessibility-tree';
import { pythonStringRepr } from '../../src/domain/python-repr';

const VIEWPORT = { width: 1280, height: 720 };
const ON_SCREEN = { x: 10, y: 10, width: 100, height: 20 };

function node(nodeId: string, role: string, name: string | undefined, extra: Partial<AccessibilityNode> = {}): AccessibilityNode {
  return {
    nodeId,
    ignored: false,
    role: { type: 'role', value: role },
    ...(name === undefined ? {} : { name: { type: 'computedString', value: name } }),
    backendDOMNodeId: Number(nodeId) + 100,
    bounds: ON_SCREEN,
    ...extra,
  };
}

describe('formatAccessibilityTree', () => {
  it('drops unnamed structural nodes, lifts their children one level up, and skips ignored properties', () => {
    const tree = formatAccessibilityTree(
      [
        node('1', 'RootWebArea', 'Shop', { childIds: ['2'], properties: [{ name: 'focused', value: { type: 'boolean', value: true } }] }),
        node('2', 'list', '', { childIds: ['3'] }),
        node('3', 'listitem', '', { childIds: ['4'] }),
        node('4', 'textbox', 'Search', {
          properties: [
            { name: 'focusable', value: { type: 'boolean', value: true } },
            { name: 'editable', value: { type: 'token', value: 'plaintext' } },
            { name: 'required', value: { type: 'boolean', value: false } },
            { name: 'describedby', value: { type: 'idrefList' } },
          ],
        }),
      ],
      VIEWPORT,
    );
    expect(tree.text).toBe("[1] RootWebArea 'Shop' focused: True\n\t[4] textbox 'Search' required: False");
    expect([...tree.elements.keys()]).toEqual(['1', '4']);
    expect(tree.elements.get('4')).toMatchObject({ backendNodeId: 104, description: "textbox 'Search' required: False" });
  });

  it('drops nodes outside the viewport or without size but keeps their visible descendants', () => {
    const tree = formatAccessibilityTree(
      [
        node('1', 'RootWebArea', 'Page', { childIds: ['2', '4', '5'] }),
        node('2', 'region', 'Tall section', { childIds: ['3'], bounds: { x: 0, y: -900, width: 500, height: 100 } }),
        node('3', 'button', 'Pinned', {}),
        node('4', 'link', 'Below the fold', { bounds: { x: 0, y: 720, width: 100, height: 20 } }),
        node('5', 'link', 'Collapsed', { bounds: { x: 10, y: 10, width: 0, height: 20 } }),
      ],
      VIEWPORT,
    );
    expect(tree.text).toBe("[1] RootWebArea 'Page'\n\t[3] button 'Pinned'");
  });

  it('drops a StaticText line whose text is in one of the 3 lines before it, but not 4 lines back', () => {
    const tree = formatAccessibilityTree(
      [
        node('1', 'RootWebArea', 'Page', { childIds: ['2', '3', '4', '5', '6', '7', '8'] }),
        node('2', 'link', 'Opening hours'),
        node('3', 'StaticText', 'Opening hours'),
        node('4', 'button', 'One'),
        node('5', 'button', 'Two'),
        node('6', 'button', 'Three'),
        node('7', 'StaticText', 'Opening hours'),
        node('8', 'StaticText', 'Three'),
      ],
      VIEWPORT,
    );
    expect(tree.text.split('\n')).toEqual([
      "[1] RootWebArea 'Page'",
      "\t[2] link 'Opening hours'",
      "\t[4] button 'One'",
      "\t[5] button 'Two'",
      "\t[6] button 'Three'",
      "\t[7] StaticText 'Opening hours'",
    ]);
  });

  it("keeps WebArena's StaticText quirks in webarena mode and not in ratchet mode", () => {
    const nodes = [
      node('1', 'RootWebArea', 'Page', { childIds: ['39', '2', '3'] }),
      node('39', 'button', 'Go'),
      node('2', 'StaticText', '9'),
      node('3', 'StaticText', "Don't miss"),
    ];
    expect(formatAccessibilityTree(nodes, VIEWPORT, 'webarena').text).toBe("[1] RootWebArea 'Page'\n\t[39] button 'Go'");
    expect(formatAccessibilityTree(nodes, VIEWPORT, 'ratchet').text).toBe(`[1] RootWebArea 'Page'\n\t[39] button 'Go'\n\t[2] StaticText '9'\n\t[3] StaticText "Don't miss"`);
  });

  it('drops a node without a name value (an ignored node) and a listitem with properties but no name', () => {
    const tree = formatAccessibilityTree(
      [
        node('1', 'RootWebArea', 'Page', { childIds: ['2', '4'] }),
        node('2', 'none', undefined, { ignored: true, childIds: ['3'] }),
        node('3', 'link', 'Inside'),
        node('4', 'listitem', '', { properties: [{ name: 'level', value: { type: 'integer', value: 1 } }, { name: 'setsize', value: { type: 'integer', value: 3 } }] }),
      ],
      VIEWPORT,
    );
    expect(tree.text).toBe("[1] RootWebArea 'Page'\n\t[3] link 'Inside'");
  });

  it('returns an empty observation for an empty tree', () => {
    expect(formatAccessibilityTree([], VIEWPORT)).toEqual({ text: '', elements: new Map() });
  });
});

describe('pythonStringRepr', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", `"it's"`],
    [`both ' and "`, `'both \\' and "'`],
    ['back\\slash', "'back\\\\slash'"],
    ['tab\tnew\nline', "'tab\\tnew\\nline'"],
    ['non\u00a0breaking', "'non\\xa0breaking'"],
    ['café ✓', "'café ✓'"],
  ])('prints %j as Python would: %s', (text, expected) => {
    expect(pythonStringRepr(text)).toBe(expected);
  });
});
