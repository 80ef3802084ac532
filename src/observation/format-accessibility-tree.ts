import type { AccessibilityNode, ViewportRect } from './accessibility-node';
import { pythonStringRepr } from '../domain/python-repr';

/** Properties WebArena leaves out of observation lines. */
export const IGNORED_PROPERTIES = new Set(['focusable', 'editable', 'readonly', 'level', 'settable', 'multiline', 'invalid']);

/** Structural roles dropped (children lifted) when they have neither a name nor properties. */
export const UNNAMED_STRUCTURAL_ROLES = new Set(['generic', 'img', 'list', 'strong', 'paragraph', 'banner', 'navigation', 'Section', 'LabelText', 'Legend', 'listitem']);

/** How many preceding lines a StaticText line is checked against for repeated text. */
export const STATIC_TEXT_LOOKBACK = 3;

/** An element of an observation that actions can address by its id. */
export interface ObservedElement {
  id: string;
  backendNodeId: number | null;
  role: string;
  name: string;
  /** The observation line without indentation and id, e.g. `button 'Search'`. */
  description: string;
  bounds: ViewportRect | null;
}

/** An accessibility tree rendered as WebArena's observation text (without the tab header). */
export interface FormattedTree {
  text: string;
  elements: Map<string, ObservedElement>;
}

/**
 * `webarena` reproduces the published harness, including its StaticText quirk: a StaticText line whose
 * name is printed in double quotes (it contains a single quote) or is empty is always dropped.
 * It also tests repeats against whole previous lines, ids included. `ratchet` only drops StaticText
 * whose text repeats the role-and-name text of the previous lines.
 */
export type ObservationMode = 'webarena' | 'ratchet';

function isInViewport(bounds: ViewportRect, viewport: { width: number; height: number }): boolean {
  if (bounds.width === 0 || bounds.height === 0) return false;
  return bounds.x < viewport.width && bounds.x + bounds.width > 0 && bounds.y < viewport.height && bounds.y + bounds.height > 0;
}

// Python's str() of a property value (booleans print as True/False).
function formatPropertyValue(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The line text of a node (`[id] role 'name' prop: value`) or null when the node is not shown. */
function formatNodeLine(node: AccessibilityNode): { line: string; role: string; name: string } | null {
  const role = node.role?.value;
  const name = node.name?.value;
  // WebArena drops nodes without a role or name value (ignored nodes) and lifts their children.
  if (typeof role !== 'string' || typeof name !== 'string') return null;
  const properties: string[] = [];
  for (const property of node.properties ?? []) {
    if (IGNORED_PROPERTIES.has(property.name) || property.value.value === undefined) continue;
    properties.push(`${property.name}: ${formatPropertyValue(property.value.value)}`);
  }
  if (name.trim() === '') {
    if (properties.length === 0 && UNNAMED_STRUCTURAL_ROLES.has(role)) return null;
    if (properties.length > 0 && role === 'listitem') return null;
  }
  const line = [`[${node.nodeId}] ${role} ${pythonStringRepr(name)}`, ...properties].join(' ');
  return { line, role, name };
}

const LINE_ID_PREFIX = /^\t*\[[^\]]*\] /;
const WEBARENA_STATIC_TEXT = /\[\d+\] StaticText '([^']+)'/;

/** Drops StaticText lines whose text already appears in one of the previous kept lines. */
function dropRepeatedStaticText(lines: Array<{ text: string; staticText: string | null }>, mode: ObservationMode): string[] {
  const kept: string[] = [];
  for (const line of lines) {
    if (mode === 'webarena' ? !line.text.toLowerCase().includes('statictext') : line.staticText === null) {
      kept.push(line.text);
      continue;
    }
    const staticText = mode === 'webarena' ? (WEBARENA_STATIC_TEXT.exec(line.text)?.[1] ?? null) : line.staticText;
    if (staticText === null) continue;
    // WebArena tests against whole previous lines, ids included (so '9' repeats `[39] button`).
    const previous = kept.slice(-STATIC_TEXT_LOOKBACK).map((previousLine) => (mode === 'webarena' ? previousLine : previousLine.replace(LINE_ID_PREFIX, '')));
    if (previous.every((previousLine) => !previousLine.includes(staticText))) kept.push(line.text);
  }
  return kept;
}

/**
 * Renders a full accessibility tree (getFullAXTree order, root first) as observation lines: nodes
 * outside the viewport, without bounds, or unnamed and structural are dropped with their children
 * lifted; lines are indented by tabs per depth; repeated StaticText is removed.
 */
export function formatAccessibilityTree(
  nodes: readonly AccessibilityNode[],
  viewport: { width: number; height: number },
  mode: ObservationMode = 'webarena',
): FormattedTree {
  const byId = new Map<string, AccessibilityNode>();
  for (const node of nodes) if (!byId.has(node.nodeId)) byId.set(node.nodeId, node);
  const root = nodes[0];
  const elements = new Map<string, ObservedElement>();
  if (!root) return { text: '', elements };

  const inViewport = (node: AccessibilityNode): boolean => node === root || (node.bounds !== null && isInViewport(node.bounds, viewport));
  const lines: Array<{ text: string; staticText: string | null }> = [];
  const visited = new Set<string>();

  // Children of a node after the viewport filter: a hidden child is replaced by its own visible children.
  const visibleChildren = (node: AccessibilityNode): AccessibilityNode[] =>
    (node.childIds ?? []).flatMap((childId) => {
      const child = byId.get(childId);
      if (!child || visited.has(childId)) return [];
      return inViewport(child) ? [child] : (visited.add(childId), visibleChildren(child));
    });

  const visit = (node: AccessibilityNode, depth: number): void => {
    visited.add(node.nodeId);
    const formatted = formatNodeLine(node);
    if (formatted) {
      lines.push({ text: `${'\t'.repeat(depth)}${formatted.line}`, staticText: formatted.role === 'StaticText' ? formatted.name : null });
      elements.set(node.nodeId, {
        id: node.nodeId,
        backendNodeId: node.backendDOMNodeId ?? null,
        role: formatted.role,
        name: formatted.name,
        description: formatted.line.slice(formatted.line.indexOf(' ') + 1),
        bounds: node.bounds,
      });
    }
    for (const child of visibleChildren(node)) visit(child, formatted ? depth + 1 : depth);
  };
  visit(root, 0);
  return { text: dropRepeatedStaticText(lines, mode).join('\n'), elements };
}
