import type { TreeNode } from '../accessibility-tree';
import type { AgentPromptView } from '../agent-prompt';
import { keyWordsOf, wordsOf, stemWord } from '../text-words';
import { readActionText, type PolicyAction } from './policy-action';

/** The kind of answer an objective asks for, read from its wording. */
export type QuestionKind = 'count' | 'money' | 'date' | 'who' | 'yesno' | 'what' | 'imperative';

/** Everything the policy derives from one agent prompt before scoring candidates. */
export interface PolicyContext {
  objective: string;
  objectiveWords: string[];
  objectiveSet: Set<string>;
  questionKind: QuestionKind;
  url: string;
  urlWords: Set<string>;
  /** First path segment of the URL, a coarse "which page am I on". */
  urlSection: string;
  previous: PolicyAction | null;
  /** `none`, `invalid`, or the previous action's kind. */
  previousKind: string;
  /** `role:name` of the element the previous action used, when its description says (`... where [12] is link 'Foo'`). */
  previousTarget: string | null;
  title: string;
  nodes: TreeNode[];
}

/** Reads what kind of answer an objective wants. */
export function questionKindOf(objective: string): QuestionKind {
  const text = objective.toLowerCase().trim();
  if (/^(how many|what is the number of|count)\b|\bnumber of\b/.test(text)) return 'count';
  if (/\b(price|cost|how much|total|spent|spend|amount|revenue)\b/.test(text)) return 'money';
  if (/^when\b|\b(date|what day|which day|what year)\b/.test(text)) return 'date';
  if (/^who\b|\b(author|customer name|user name|username|who)\b/.test(text)) return 'who';
  if (/^(is|are|does|do|did|was|were|has|have|can)\b/.test(text)) return 'yesno';
  if (/^(what|which|list|tell|give|show|name|according)\b|\?$/.test(text)) return 'what';
  return 'imperative';
}

function readPrevious(text: string): { action: PolicyAction | null; kind: string } {
  const trimmed = text.trim();
  if (trimmed === '' || /^none\.?$/i.test(trimmed)) return { action: null, kind: 'none' };
  if (/(format|unparsable|not parse|no matching element|no element|not found|invalid)/i.test(trimmed)) return { action: null, kind: 'invalid' };
  const head = /^(click|hover|type|press|scroll|goto|tab_focus|new_tab|close_tab|go_back|go_forward|stop)\b/.exec(trimmed);
  if (!head) return { action: null, kind: 'other' };
  const firstLine = trimmed.split('\n')[0] ?? trimmed;
  // Descriptions may append prose ("... where [12] is link 'Foo'"); read the longest prefix that parses.
  for (let end = firstLine.length; end > 0; end -= 1) {
    if (firstLine[end - 1] !== ']' && end !== firstLine.length) continue;
    const action = readActionText(firstLine.slice(0, end));
    if (action) return { action, kind: action.kind };
  }
  return { action: null, kind: head[1] ?? 'other' };
}

function urlWordsOf(url: string): { words: Set<string>; section: string } {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/').filter((segment) => segment.length > 0);
    const words = new Set(wordsOf(`${segments.join(' ')} ${[...parsed.searchParams.values()].join(' ')}`.replace(/[-_+]/g, ' ')));
    return { words: new Set([...words].map(stemWord)), section: (segments[0] ?? 'root').replace(/\d+/g, '#').slice(0, 24) };
  } catch {
    return { words: new Set(), section: 'none' };
  }
}

/** Builds the policy's view of an agent prompt. */
export function buildPolicyContext(view: AgentPromptView): PolicyContext {
  const objectiveWords = keyWordsOf(view.objective);
  const previous = readPrevious(view.previousAction);
  const { words, section } = urlWordsOf(view.url);
  return {
    objective: view.objective,
    objectiveWords,
    objectiveSet: new Set(objectiveWords),
    questionKind: questionKindOf(view.objective),
    url: view.url,
    urlWords: words,
    urlSection: section,
    previous: previous.action,
    previousKind: previous.kind,
    previousTarget: /where \[[^\]]+\] is (\S+) '(.*)'/.exec(view.previousAction)?.slice(1, 3).join(':') ?? null,
    title: view.observation.tabs[0] ?? '',
    nodes: view.observation.nodes,
  };
}
