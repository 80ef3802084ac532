import { describe, expect, it } from 'vitest';
import { buildMixture, ChatJsonlError, fineTuneRecordsToExamples, formatChatJsonl, mixturePreset, parseChatJsonl } from '../../src/mixtures';
import { keptTrajectories, syntheticExamples } from './mixture-fixture';

const line = (value: unknown) => JSON.stringify(value);
const good = { messages: [{ role: 'system', content: 'Be a web agent.' }, { role: 'user', content: 'OBSERVATION: ...' }, { role: 'assistant', content: '```stop [3]```' }] };

describe('chat fine-tuning JSONL', () => {
  it('writes one messages line per example ending in the assistant response', () => {
    const [example] = syntheticExamples(1);
    const text = formatChatJsonl([example!]);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toEqual({ messages: [...example!.messages, { role: 'assistant', content: example!.response }] });
  });

  it('round-trips a built mixture: parse(format(examples)) gives back the prompts and responses', () => {
    const mixture = buildMixture(mixturePreset('B', { seed: 2 }), {
      currentRound: 1, inDomain: [{ round: 1, trajectories: keptTrajectories(10) }], ood: syntheticExamples(40),
    });
    const parsed = fineTuneRecordsToExamples(parseChatJsonl(formatChatJsonl(mixture.train), 'train.jsonl'), 'train.jsonl');
    expect(parsed.map(({ messages, response }) => ({ messages, response }))).toEqual(mixture.train.map(({ messages, response }) => ({ messages, response })));
    expect(parsed[0]).toMatchObject({ id: 'train.jsonl:1', provenance: { source: 'jsonl', file: 'train.jsonl', record: 1 } });
  });

  it('accepts blank lines, names and assistant weights as the OpenAI format allows', () => {
    const weighted = { messages: [{ role: 'user', content: 'q', name: 'alice' }, { role: 'assistant', content: 'a', weight: 0 }, { role: 'user', content: 'q2' }, { role: 'assistant', content: 'a2', weight: 1 }] };
    expect(parseChatJsonl(`${line(good)}\n\n${line(weighted)}\r\n`)).toHaveLength(2);
  });

  it('lists every bad line with its line number and field', () => {
    const text = [
      line(good),
      '{"messages": [',
      line({ messages: [{ role: 'user', content: 'q' }, { role: 'user', content: 'again' }] }),
      line({ messages: [{ role: 'robot', content: 'q' }, { role: 'assistant', content: 'a' }] }),
      line({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 42 }] }),
      line({ ...good, extra: true }),
      line({ messages: [{ role: 'user', content: 'q', weight: 1 }, { role: 'assistant', content: 'a' }] }),
    ].join('\n');
    let error: ChatJsonlError | undefined;
    try {
      parseChatJsonl(text, 'mine.jsonl');
    } catch (caught) {
      error = caught as ChatJsonlError;
    }
    expect(error).toBeInstanceOf(ChatJsonlError);
    expect(error!.problems.map(({ line, field }) => [line, field])).toEqual([
      [2, ''],
      [3, 'messages.1.role'],
      [4, 'messages.0.role'],
      [5, 'messages.1.content'],
      [6, ''],
      [7, 'messages.0.weight'],
    ]);
    expect(error!.message).toMatch(/mine\.jsonl line 2: not valid JSON/);
    expect(error!.message).toMatch(/mine\.jsonl line 3 messages\.1\.role: the last message must be the assistant reply/);
    expect(error!.message).toMatch(/line 6: Unrecognized key: "extra"/);
  });

  it('rejects a file with no examples', () => {
    expect(() => parseChatJsonl('\n\n', 'empty.jsonl')).toThrow(/empty\.jsonl line 1: the file has no examples/);
  });
});
