import { OOD_ACTIONS_INSTRUCTION } from '../../prompts/ood-actions';
import { OOD_OBJECTIVE_INSTRUCTION } from '../../prompts/ood-objective';
import { OOD_PAGE_INSTRUCTION } from '../../prompts/ood-page';
import { OOD_PLAN_INSTRUCTION } from '../../prompts/ood-plan';
import { OOD_URL_INSTRUCTION } from '../../prompts/ood-url';
import { TRAJECTORY_CRITIC_INSTRUCTION } from '../../prompts/trajectory-critic';
import { readAgentPrompt } from '../agent-prompt';
import { promptKeyOf, type Policy } from '../policy/policy';
import type { SamplingSettings } from '../sampling';
import { answerTrajectoryCritic } from './critic-responder';
import { answerFuzzyMatch, answerUnachievableReason, isFuzzyMatchPrompt, isUnachievablePrompt } from './judge-responder';
import { answerOodActions, answerOodObjective, answerOodPage, answerOodPlan, answerOodUrl } from './ood-responders';

/** Which behaviour produced a reply (reported in logs and tests). */
export type ReplyKind = 'agent' | 'agent-recall' | 'recall' | 'fuzzy-match' | 'unachievable-reason' | 'trajectory-critic' | 'ood-objective' | 'ood-plan' | 'ood-url' | 'ood-actions' | 'ood-page' | 'unknown';

const FALLBACK_REPLY = 'I am a small web-agent policy, not a general language model. I answer web-agent prompts (OBSERVATION / URL / OBJECTIVE / PREVIOUS ACTION), the evaluation judges, the trajectory critic and the OOD generation prompts.';

/** Replies to a chat by reading its prompt: an agent step, a judge, a critic, a generator, or a recalled demonstration. */
export function respondToChat(policy: Policy, messages: ReadonlyArray<{ role: string; content: string }>, settings: SamplingSettings): { text: string; kind: ReplyKind } {
  const view = readAgentPrompt(messages);
  if (view) {
    const decision = policy.decide(view, settings);
    return { text: decision.response, kind: decision.source === 'recall' ? 'agent-recall' : 'agent' };
  }
  const recalled = policy.recallText(promptKeyOf(messages), settings);
  if (recalled !== null) return { text: recalled, kind: 'recall' };
  const system = messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => message.content).join('\n');
  const user = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  if (isFuzzyMatchPrompt(user)) return { text: answerFuzzyMatch(user), kind: 'fuzzy-match' };
  if (isUnachievablePrompt(user)) return { text: answerUnachievableReason(user), kind: 'unachievable-reason' };
  if (system.includes(TRAJECTORY_CRITIC_INSTRUCTION)) return { text: answerTrajectoryCritic(user), kind: 'trajectory-critic' };
  if (system.includes(OOD_OBJECTIVE_INSTRUCTION)) return { text: answerOodObjective(user, settings.random), kind: 'ood-objective' };
  if (system.includes(OOD_PLAN_INSTRUCTION)) return { text: answerOodPlan(user), kind: 'ood-plan' };
  if (system.includes(OOD_URL_INSTRUCTION)) return { text: answerOodUrl(user), kind: 'ood-url' };
  if (system.includes(OOD_ACTIONS_INSTRUCTION)) return { text: answerOodActions(user, settings.random), kind: 'ood-actions' };
  if (system.includes(OOD_PAGE_INSTRUCTION)) return { text: answerOodPage(user, settings.random), kind: 'ood-page' };
  return { text: FALLBACK_REPLY, kind: 'unknown' };
}
