import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env';
import { payloadToJson, startCodecServer } from '../../src/security/codec-server';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError, parsePayloadKey, payloadCodecFromEnv, payloadKeyId } from '../../src/security/payload-codec';
import type { ImprovementRunResult } from '../../src/workflows/definitions';
import { runCli } from '../support/run-cli';
import { resultOrOperatorWait, smallRunSpec, startRun } from '../support/runs';
import { startTestStack, type TestStack } from '../support/stack';
import { fetchAllHistories, metadataOf, type StoredHistory } from './history-payloads';

const jsonPayload = (value: unknown): Payload => ({
  metadata: { encoding: new Uint8Array(Buffer.from('json/plain')) },
  data: new Uint8Array(Buffer.from(JSON.stringify(value))),
});
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('the AES-256-GCM payload codec', () => {
  const key = randomBytes(32);
  const codec = new AesGcmPayloadCodec(key);

  it('encrypts each payload with a fresh IV, names the key id, and decrypts back to the same payload', async () => {
    const original = jsonPayload({ runId: 'codec-unit', secret: 'plain words' });
    const [first, second] = await codec.encode([original, original]);
    expect(metadataOf(first as Payload, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(metadataOf(first as Payload, KEY_ID_METADATA)).toBe(payloadKeyId(key));
    expect(text(first?.data)).not.toContain('plain words');
    expect(Buffer.from(first?.data ?? []).equals(Buffer.from(second?.data ?? []))).toBe(false);
    const [decoded] = await codec.decode([first as Payload]);
    expect(text(decoded?.data)).toBe(text(original.data));
    expect(metadataOf(decoded as Payload, 'encoding')).toBe('json/plain');
  });

  it('passes payloads that are not encrypted through decode unchanged', async () => {
    const plain = jsonPayload({ before: 'the codec was enabled' });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('decrypts with a previous key after a rotation and encrypts with the new one', async () => {
    const [old] = await codec.encode([jsonPayload('old key')]);
    const rotated = new AesGcmPayloadCodec(randomBytes(32), [key]);
    expect(text((await rotated.decode([old as Payload]))[0]?.data)).toBe('"old key"');
    const [fresh] = await rotated.encode([jsonPayload('new key')]);
    expect(metadataOf(fresh as Payload, KEY_ID_METADATA)).toBe(rotated.currentKeyId);
    expect(rotated.currentKeyId).not.toBe(payloadKeyId(key));
  });

  it('refuses a payload of an unknown key with an error naming both key ids, and altered ciphertext', async () => {
    const [sealed] = await codec.encode([jsonPayload('x')]);
    const stranger = new AesGcmPayloadCodec(randomBytes(32));
    const refusal = await stranger.decode([sealed as Payload]).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PayloadDecryptionError);
    expect((refusal as Error).message).toContain(`encrypted with key id ${payloadKeyId(key)}`);
    expect((refusal as Error).message).toContain(stranger.currentKeyId);
    const data = Buffer.from(sealed?.data ?? []);
    data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 1;
    await expect(codec.decode([{ ...sealed, data: new Uint8Array(data) }])).rejects.toThrow(/altered or truncated ciphertext/);
  });

  it('rejects keys that are not base64 of 32 bytes, naming the variable', () => {
    expect(() => parsePayloadKey('short', 'RATCHET_PAYLOAD_KEY')).toThrow(/RATCHET_PAYLOAD_KEY: must be base64 of 32 bytes, got 3 bytes/);
    expect(() => parsePayloadKey('not base64!', 'RATCHET_PAYLOAD_KEY')).toThrow(/RATCHET_PAYLOAD_KEY: not base64/);
    expect(() => readEnv({ RATCHET_PAYLOAD_KEY: randomBytes(16).toString('base64') })).toThrow(/RATCHET_PAYLOAD_KEY: must be base64 of 32 bytes/);
    expect(() => payloadCodecFromEnv({ RATCHET_PAYLOAD_PREVIOUS_KEYS: randomBytes(32).toString('base64') })).toThrow(/RATCHET_PAYLOAD_KEY is not/);
    expect(payloadCodecFromEnv({})).toBeNull();
  });

  it('makes `ratchet codec-server` refuse to start without a key', () => {
    const result = runCli(['codec-server', '--port', '0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('RATCHET_PAYLOAD_KEY is not set');
  });
});

describe('a run with RATCHET_PAYLOAD_KEY set', { timeout: 600_000 }, () => {
  const key = randomBytes(32).toString('base64');
  let stack: TestStack;
  let runId: string;
  let result: ImprovementRunResult;
  let histories: StoredHistory[];
  const saved = process.env.RATCHET_PAYLOAD_KEY;

  beforeAll(async () => {
    process.env.RATCHET_PAYLOAD_KEY = key;
    stack = await startTestStack();
    const spec = smallRunSpec('encrypted', { ood: { count: 1 } });
    const started = await startRun(stack.client, stack.deps.db, spec);
    runId = started.runId;
    result = await resultOrOperatorWait<ImprovementRunResult>(stack.client, started.runId);
    // Histories as the server stores them (fetchHistory does not decode payloads).
    histories = await fetchAllHistories(stack.client);
  }, 600_000);
  afterAll(async () => {
    if (saved === undefined) delete process.env.RATCHET_PAYLOAD_KEY;
    else process.env.RATCHET_PAYLOAD_KEY = saved;
    await stack?.teardown();
  });

  it('completes, with workers and client sharing the codec', () => {
    expect(result.roundsCompleted).toBe(1);
    expect(stack.payloadCodecs).toHaveLength(1);
  });

  it('stores only encrypted payloads in every history, with no plaintext of the run in them', () => {
    expect(histories.length).toBeGreaterThan(5);
    const payloads = histories.flatMap((history) => history.payloads);
    expect(payloads.length).toBeGreaterThan(50);
    const plain = histories.flatMap((history) => history.payloads.map((payload, index) => ({ payload, where: `${history.workflowId}${history.payloadPaths[index] ?? ''}` })))
      .filter(({ payload }) => metadataOf(payload, 'encoding') !== ENCRYPTED_ENCODING)
      // The SDK writes patch markers (workflow versioning) itself, with only the patch id in them.
      .filter(({ payload, where }) => !(where.includes('markerRecordedEventAttributes.details.patch-data') && /^\{"id":"[a-z0-9-]+","deprecated":(true|false)\}$/.test(text(payload.data))))
      .map(({ payload, where }) => `${where}: ${metadataOf(payload, 'encoding')} ${text(payload.data).slice(0, 100)}`);
    expect(plain).toEqual([]);
    const keyIds = new Set(payloads.filter((payload) => metadataOf(payload, 'encoding') === ENCRYPTED_ENCODING).map((payload) => metadataOf(payload, KEY_ID_METADATA)));
    expect([...keyIds]).toEqual([payloadKeyId(Buffer.from(key, 'base64'))]);
    // Search attributes stay plain (the server indexes them): they hold only ids, rounds and step names.
    const searchAttributes = histories.flatMap((history) => history.searchAttributePayloads);
    expect(searchAttributes.length).toBeGreaterThan(0);
    expect(new Set(searchAttributes.map((payload) => metadataOf(payload, 'encoding')))).toEqual(new Set(['json/plain']));
    for (const payload of payloads) {
      const body = text(payload.data);
      expect(body).not.toContain('encrypted-');
      expect(body).not.toContain('"runId"');
    }
    // The memo (spec name, status) is a payload too; the JSON shows no plaintext spec name.
    const runHistory = histories.find((history) => history.workflowId === runId);
    expect(runHistory?.json).toContain(Buffer.from(ENCRYPTED_ENCODING).toString('base64'));
    expect(runHistory?.json).not.toContain(Buffer.from('"encrypted"').toString('base64'));
    expect(runHistory?.json).not.toContain(Buffer.from(JSON.stringify({ runId })).toString('base64'));
  });

  it('has the codec endpoint decode a payload taken from the history back to the original JSON', async () => {
    expect(stack.codecEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const first = histories.filter((history) => history.workflowId === runId)
      .map((history) => JSON.parse(history.json) as { events: Array<{ workflowExecutionStartedEventAttributes?: { input?: { payloads: unknown[] } } }> })
      .flatMap((history) => history.events)
      .find((event) => event.workflowExecutionStartedEventAttributes?.input)?.workflowExecutionStartedEventAttributes?.input?.payloads[0];
    expect(first).toBeDefined();
    const uiOrigin = (stack.uiUrl ?? '').replace(/\/$/, '');
    const response = await fetch(`${stack.codecEndpoint}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': stack.namespace, origin: uiOrigin },
      body: JSON.stringify({ payloads: [first] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    const body = await response.json() as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(Buffer.from(body.payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(body.payloads[0]?.data ?? '', 'base64').toString())).toEqual({ runId });

    // And /encode gives a payload that the workers' codec reads.
    const encoded = await fetch(`${stack.codecEndpoint}/encode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payloads: [payloadToJson(jsonPayload({ signal: 'retry' }))] }) });
    const encodedBody = await encoded.json() as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(Buffer.from(encodedBody.payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe(ENCRYPTED_ENCODING);
  });

  it('answers the Web UI\'s CORS preflight for its origin only, and a bad body with a 400 naming the shape', async () => {
    const uiOrigin = (stack.uiUrl ?? '').replace(/\/$/, '');
    const preflight = await fetch(`${stack.codecEndpoint}/decode`, { method: 'OPTIONS', headers: { origin: uiOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const stranger = await fetch(`${stack.codecEndpoint}/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const bad = await fetch(`${stack.codecEndpoint}/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('payloads');
  });

  it('starts the dev server\'s Web UI with the codec endpoint', async () => {
    const settings = await fetch(`${stack.uiUrl}/api/v1/settings`).then((response) => response.json()) as { Codec?: { Endpoint?: string } };
    expect(settings.Codec?.Endpoint).toBe(stack.codecEndpoint);
  });

  it('gives a clear error to a client holding a different key, and to the codec endpoint of that key', async () => {
    const otherKey = randomBytes(32);
    const wrong = new Client({ connection: stack.client.connection, namespace: stack.namespace, dataConverter: { payloadCodecs: [new AesGcmPayloadCodec(otherKey)] } });
    const failure: unknown = await wrong.workflow.getHandle(runId).result().then(() => null, (error: unknown) => error);
    expect(String((failure as Error).message)).toContain(`encrypted with key id ${payloadKeyId(Buffer.from(key, 'base64'))}`);

    const payload = histories.flatMap((history) => history.payloads)[0] as Payload;
    const server = await startCodecServer({ codec: new AesGcmPayloadCodec(otherKey), port: 0, uiOrigins: [] });
    try {
      const response = await fetch(`${server.url}/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payloads: [payloadToJson(payload)] }) });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain(`hold key ids ${payloadKeyId(otherKey)}`);
    } finally {
      await server.close();
    }
  });
});
