/** One accessibility node line of an observation: `[id] role 'name' prop: value ...`. */
export interface TreeNode {
  id: string;
  role: string;
  name: string;
  /** Property text after the name, e.g. `focused: True required: False`. */
  properties: string;
  depth: number;
  /** Position among the observation's node lines (0-based). */
  line: number;
}

/** A parsed observation: the tab header line and the node lines. */
export interface ParsedObservation {
  tabs: string[];
  nodes: TreeNode[];
}

const NODE_LINE = /^(\t*)\[([^\]\s]+)\] (\S+) '(.*?)'((?: [A-Za-z_-]+: .*)?)$/;

/** Parses an observation: the `Tab 0 (current): ...` header and one node per `[id] role 'name'` line. */
export function parseObservation(text: string): ParsedObservation {
  const tabs: string[] = [];
  const nodes: TreeNode[] = [];
  for (const rawLine of text.split('\n')) {
    if (/^Tab \d+/.test(rawLine)) {
      tabs.push(...rawLine.split(' | ').map((part) => part.replace(/^Tab \d+( \(current\))?: /, '')));
      continue;
    }
    const match = NODE_LINE.exec(rawLine.replace(/\r$/, ''));
    if (!match) continue;
    const [, indent = '', id = '', role = '', name = '', properties = ''] = match;
    nodes.push({ id, role, name, properties: properties.trim(), depth: indent.length, line: nodes.length });
  }
  return { tabs, nodes };
}

/** Roles an agent can click. */
export const CLICKABLE_ROLES = new Set(['link', 'button', 'tab', 'menuitem', 'checkbox', 'radio', 'option', 'switch', 'treeitem', 'combobox']);
/** Roles an agent can type into. */
export const TYPEABLE_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton']);
