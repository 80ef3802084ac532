import { parseObservation, type ParsedObservation } from './accessibility-tree';

/** What a web-agent prompt tells the model: the final user turn's WebArena block, parsed. */
export interface AgentPromptView {
  observationText: string;
  observation: ParsedObservation;
  url: string;
  objective: string;
  previousAction: string;
}

/**
 * Reads the WebArena block (`OBSERVATION:` / `URL:` / `OBJECTIVE:` / `PREVIOUS ACTION:`) from the last
 * user turn, or null when the prompt is not an agent prompt.
 */
export function readAgentPrompt(messages: ReadonlyArray<{ role: string; content: string }>): AgentPromptView | null {
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  if (!lastUser) return null;
  return readAgentBlock(lastUser.content);
}

/** Parses one `OBSERVATION: ... PREVIOUS ACTION: ...` block, or null when a field is missing. */
export function readAgentBlock(text: string): AgentPromptView | null {
  const observationAt = text.lastIndexOf('OBSERVATION:');
  if (observationAt < 0) return null;
  const block = text.slice(observationAt + 'OBSERVATION:'.length);
  const urlAt = block.lastIndexOf('\nURL: ');
  const objectiveAt = block.lastIndexOf('\nOBJECTIVE: ');
  const previousAt = block.lastIndexOf('\nPREVIOUS ACTION: ');
  if (urlAt < 0 || objectiveAt < urlAt || previousAt < objectiveAt) return null;
  const observationText = block.slice(0, urlAt).replace(/^\n/, '');
  return {
    observationText,
    observation: parseObservation(observationText),
    url: block.slice(urlAt + '\nURL: '.length, objectiveAt).trim(),
    objective: block.slice(objectiveAt + '\nOBJECTIVE: '.length, previousAt).trim(),
    previousAction: block.slice(previousAt + '\nPREVIOUS ACTION: '.length).trim(),
  };
}
