/** Judges a trajectory from its action list by the same label-free signs the critique filter uses. */
export function answerTrajectoryCritic(userText: string): string {
  const steps = userText.split('\n').filter((line) => /^\d+\. /.test(line)).map((line) => line.replace(/^\d+\. /, '').replace(/ \(at [^)]*\)$/, ''));
  const answer = /^FINAL ANSWER: (.*)$/m.exec(userText)?.[1]?.trim() ?? '';
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step, (counts.get(step) ?? 0) + 1);
  const repeated = [...counts.entries()].find(([, count]) => count >= 3);
  const problems: string[] = [];
  if (answer === '' || answer === '(none)') problems.push('the agent never gave an answer');
  if (/^n\/a$/i.test(answer)) problems.push('the agent gave up with N/A');
  if (/early stop|cannot|can't|impossible|unable/i.test(answer)) problems.push(`the answer '${answer}' says the task was not done`);
  if (repeated) problems.push(`the action '${repeated[0]}' was repeated ${repeated[1]} times`);
  if (problems.length === 0) return `The agent took ${steps.length} step(s) and finished with the answer '${answer}', with no repeated actions or signs of giving up.\nVERDICT: plausible`;
  return `Problems: ${problems.join('; ')}.\nVERDICT: implausible`;
}
