// Turns a generated accessibility-tree observation back into a real HTML page: each `[id] role 'name'`
// line becomes an element with that role and name (semantic tags where HTML has them) carrying the id
// in `data-ratchet-id`, nested by the lines' tab indentation. No scripts, no styles, no outside URLs.

/** The attribute that carries an observation id on the rendered element. */
export const GROUNDED_ID_ATTRIBUTE = 'data-ratchet-id';

/** One node line of an observation. */
export interface AccessibilityNodeLine {
  depth: number;
  id: string;
  role: string;
  name: string;
  properties: string;
}

interface TreeNode extends AccessibilityNodeLine {
  children: TreeNode[];
}

const NODE_LINE = /^(\t*)\[(\d+)\] (\S+) '(.*)'(.*)$/;

/** The node lines of an observation (the tab header and other lines are skipped). */
export function readAccessibilityNodeLines(observation: string): AccessibilityNodeLine[] {
  const nodes: AccessibilityNodeLine[] = [];
  for (const line of observation.split('\n')) {
    const match = NODE_LINE.exec(line.replace(/\s+$/, ''));
    if (!match) continue;
    nodes.push({ depth: match[1]?.length ?? 0, id: match[2] ?? '', role: match[3] ?? '', name: match[4] ?? '', properties: (match[5] ?? '').trim() });
  }
  return nodes;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function buildTree(lines: AccessibilityNodeLine[]): TreeNode[] {
  const roots: TreeNode[] = [];
  const stack: TreeNode[] = [];
  for (const line of lines) {
    const node: TreeNode = { ...line, children: [] };
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= node.depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  }
  return roots;
}

// A visible label for an interactive element with no name, so it has a box to act on.
function visibleName(node: TreeNode): string {
  return escapeHtml(node.name === '' ? `(${node.role})` : node.name);
}

function headingLevel(properties: string): number {
  const level = Number(/level: (\d)/.exec(properties)?.[1] ?? 2);
  return level >= 1 && level <= 6 ? level : 2;
}

/** The element for one node, and whether its children can go inside it. */
function openElement(node: TreeNode): { html: string; close: string; container: boolean } {
  const id = `${GROUNDED_ID_ATTRIBUTE}="${escapeHtml(node.id)}"`;
  const label = `aria-label="${escapeHtml(node.name)}"`;
  switch (node.role) {
    case 'RootWebArea':
      return { html: `<main ${id} ${label}>`, close: '</main>', container: true };
    case 'link':
      return { html: `<a ${id} href="#node-${escapeHtml(node.id)}">${visibleName(node)}</a>`, close: '', container: false };
    case 'button':
      return { html: `<button ${id} type="button">${visibleName(node)}</button>`, close: '', container: false };
    case 'menuitem':
    case 'tab':
    case 'option':
      return { html: `<button ${id} type="button" role="${node.role}">${visibleName(node)}</button>`, close: '', container: false };
    case 'textbox':
    case 'searchbox':
    case 'combobox':
      return { html: `<input ${id} type="${node.role === 'searchbox' ? 'search' : 'text'}"${node.role === 'combobox' ? ' role="combobox"' : ''} ${label}>`, close: '', container: false };
    case 'checkbox':
    case 'radio':
      return { html: `<label><input ${id} type="${node.role}" ${label}>${visibleName(node)}</label>`, close: '', container: false };
    case 'heading': {
      const level = headingLevel(node.properties);
      return { html: `<h${level} ${id}>${escapeHtml(node.name)}</h${level}>`, close: '', container: false };
    }
    case 'StaticText':
      return { html: `<span ${id}>${escapeHtml(node.name)}</span>`, close: '', container: false };
    case 'img':
      return { html: `<span ${id} role="img" ${label}>${visibleName(node)}</span>`, close: '', container: false };
    case 'list':
      return { html: `<ul ${id} ${label}>`, close: '</ul>', container: true };
    case 'listitem':
      return { html: `<li ${id}>${escapeHtml(node.name)}`, close: '</li>', container: true };
    case 'paragraph':
      return { html: `<p ${id}>${escapeHtml(node.name)}`, close: '</p>', container: true };
    default: {
      // Other ARIA roles keep their role on a generic container; non-ARIA names (LayoutTable, ...) do not.
      const role = /^[a-z]+$/.test(node.role) ? ` role="${node.role}"` : '';
      const text = node.name === '' ? '' : `<span>${escapeHtml(node.name)}</span>`;
      return { html: `<div ${id}${role}${node.name === '' ? '' : ` ${label}`}>${text}`, close: '</div>', container: true };
    }
  }
}

function renderNode(node: TreeNode, indent: string): string {
  const element = openElement(node);
  const children = node.children.map((child) => renderNode(child, `${indent}  `)).join('\n');
  if (node.children.length === 0) return `${indent}${element.html}${element.close}`;
  if (element.container) return `${indent}${element.html}\n${children}\n${indent}${element.close}`;
  // Leaf elements (inputs, links, buttons) cannot hold children: they follow in a plain wrapper.
  return `${indent}${element.html}${element.close}\n${indent}<div>\n${children}\n${indent}</div>`;
}

/** A whole HTML document for an observation; the title comes from its `Tab 0 (current): ...` header. */
export function renderAccessibilityPageHtml(observation: string): string {
  const title = /^Tab \d+ \(current\): (.*)$/m.exec(observation)?.[1] ?? 'Untitled';
  const body = buildTree(readAccessibilityNodeLines(observation)).map((node) => renderNode(node, '  ')).join('\n');
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}
