/**
 * WebArena's answer normalisation: trim; drop one surrounding pair of single quotes, else of double
 * quotes; lowercase. Nothing else (no punctuation or whitespace folding).
 */
export function cleanAnswer(text: string): string {
  let result = text.trim();
  if (result.length >= 1 && result.startsWith("'") && result.endsWith("'")) result = result.slice(1, -1);
  else if (result.length >= 1 && result.startsWith('"') && result.endsWith('"')) result = result.slice(1, -1);
  return result.toLowerCase();
}
