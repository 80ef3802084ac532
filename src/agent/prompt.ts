import type { ChatMessage } from '../domain/trajectory';
import { DEFAULT_PROMPT_EXAMPLES, type PromptExample } from './prompt-example';

/** The phrase the model ends its reasoning with before the fenced action (never searched for). */
export const ACTION_SUMMARY_PHRASE = 'In summary, the next action I will perform is';

/** The system text of the chain-of-thought prompt (our wording of WebArena's structure). */
export const AGENT_SYSTEM_PROMPT = `You are an agent that completes tasks in a web browser. You will be given a task and the current state of the browser, and you choose one browser action at a time until the task is done.

What you see at each step:
- The current web page's accessibility tree: a text outline of the page in which every element has an id in square brackets.
- The URL of the current page.
- The objective: the task you have to complete.
- The previous action: the action you took last, or None.

The actions you may take:

Page operations:
\`click [id]\`: click the element with the given id.
\`type [id] [content] [press_enter_after=0|1]\`: type the content into the field with the given id. Enter is pressed afterwards unless press_enter_after is 0.
\`hover [id]\`: move the mouse over the element with the given id.
\`press [key_comb]\`: press a key or key combination, such as Ctrl+v.
\`scroll [down|up]\`: scroll the page down or up by one screen.

Tab management:
\`new_tab\`: open a new, empty tab.
\`tab_focus [tab_index]\`: switch to the tab with the given index.
\`close_tab\`: close the current tab.

URL navigation:
\`goto [url]\`: open the given URL.
\`go_back\`: go back to the previous page.
\`go_forward\`: go forward to the next page, if you went back before.

Completion:
\`stop [answer]\`: finish the task. If the task asks for information, put the answer in the brackets. If you believe the task cannot be done, answer "N/A".

Rules:
1. Take only actions that are valid for the current page.
2. Take exactly one action per turn.
3. Think step by step about what you see and what is left to do before choosing the action.
4. Write the action in the exact format above, and end your reply with "${ACTION_SUMMARY_PHRASE}" followed by the action inside a \`\`\` fence, for example: ${ACTION_SUMMARY_PHRASE} \`\`\`click [1234]\`\`\`.
5. Stop as soon as the objective is achieved, and do not repeat an action that did not change anything.`;

/** The user turn of one step, exactly WebArena's block: observation, URL, objective, previous action. */
export function formatAgentTurn(input: { observation: string; url: string; objective: string; previousAction: string }): string {
  return `OBSERVATION:\n${input.observation}\nURL: ${input.url}\nOBJECTIVE: ${input.objective}\nPREVIOUS ACTION: ${input.previousAction}`;
}

/** The chat messages for one agent step: system text, the example pairs, then this step's block. */
export function buildAgentMessages(input: {
  observation: string;
  url: string;
  objective: string;
  previousAction: string;
  examples?: PromptExample[];
}): ChatMessage[] {
  const examples = input.examples ?? DEFAULT_PROMPT_EXAMPLES;
  return [
    { role: 'system', content: AGENT_SYSTEM_PROMPT },
    ...examples.flatMap((example): ChatMessage[] => [
      { role: 'user', content: formatAgentTurn(example) },
      { role: 'assistant', content: example.response },
    ]),
    { role: 'user', content: formatAgentTurn(input) },
  ];
}
