// AES-256-GCM encryption of workflow payloads (inputs, results, memos, heartbeats, failure details),
// so that the Temporal server and its database hold ciphertext only. Codecs run in clients and in
// the worker outside the workflow sandbox, so the workflow bundle needs nothing.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';

/** `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key a payload was encrypted with, so keys can rotate. */
export const KEY_ID_METADATA = 'encryption-key-id';
/** Metadata key naming the cipher. */
export const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A payload that could not be decrypted: which key it needs and which keys this process has. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
  constructor(message: string, readonly keyId: string | null, readonly knownKeyIds: string[]) {
    super(message);
  }
}

/** The id of a key (first 8 bytes of its SHA-256, hex): safe to store and print. */
export function payloadKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Decodes a base64 key of exactly 32 bytes; `name` says where it came from in the error. */
export function parsePayloadKey(text: string, name: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) throw new Error(`${name}: not base64 (generate one with: openssl rand -base64 32)`);
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${name}: must be base64 of ${KEY_BYTES} bytes, got ${key.length} bytes (generate one with: openssl rand -base64 32)`);
  return key;
}

// What is encrypted: the original payload, with its metadata, as JSON of base64 fields.
const sealedPayloadSchema = z.strictObject({
  metadata: z.record(z.string(), z.string()),
  data: z.string(),
});

function sealPayload(payload: Payload): Buffer {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
  return Buffer.from(JSON.stringify({ metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') }));
}

function unsealPayload(plain: Buffer): Payload {
  const sealed = sealedPayloadSchema.parse(JSON.parse(plain.toString('utf8')));
  return {
    metadata: Object.fromEntries(Object.entries(sealed.metadata).map(([key, value]) => [key, new Uint8Array(Buffer.from(value, 'base64'))])),
    data: new Uint8Array(Buffer.from(sealed.data, 'base64')),
  };
}

function metadataText(payload: Payload, key: string): string | null {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : null;
}

/**
 * Encrypts every payload with the current key (AES-256-GCM, a fresh 96-bit IV each time, the key id
 * in the metadata) and decrypts with whichever known key the payload names; payloads that are not
 * encrypted pass through decode unchanged (histories from before the codec was enabled).
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  readonly currentKeyId: string;
  private readonly keys: Map<string, Buffer>;

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) if (key.length !== KEY_BYTES) throw new Error(`payload keys must be ${KEY_BYTES} bytes, got ${key.length}`);
    this.currentKeyId = payloadKeyId(currentKey);
    this.keys = new Map([...previousKeys, currentKey].map((key) => [payloadKeyId(key), key]));
  }

  /** Ids of every key this codec can decrypt with. */
  get knownKeyIds(): string[] {
    return [...this.keys.keys()];
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(this.encodeNow(payloads));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    try {
      return Promise.resolve(this.decodeNow(payloads));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private encodeNow(payloads: Payload[]): Payload[] {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(CIPHER, key, iv);
      const body = Buffer.concat([cipher.update(sealPayload(payload)), cipher.final()]);
      return {
        metadata: {
          encoding: new Uint8Array(Buffer.from(ENCRYPTED_ENCODING)),
          [KEY_ID_METADATA]: new Uint8Array(Buffer.from(this.currentKeyId)),
          [CIPHER_METADATA]: new Uint8Array(Buffer.from(CIPHER)),
        },
        data: new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body])),
      };
    });
  }

  private decodeNow(payloads: Payload[]): Payload[] {
    return payloads.map((payload) => {
      if (metadataText(payload, 'encoding') !== ENCRYPTED_ENCODING) return payload;
      const keyId = metadataText(payload, KEY_ID_METADATA);
      const key = keyId ? this.keys.get(keyId) : undefined;
      if (!key) {
        throw new PayloadDecryptionError(
          `cannot decrypt a workflow payload: it was encrypted with key id ${keyId ?? '(none)'}, but RATCHET_PAYLOAD_KEY and RATCHET_PAYLOAD_PREVIOUS_KEYS hold key ids ${this.knownKeyIds.join(', ')}`,
          keyId, this.knownKeyIds);
      }
      const data = Buffer.from(payload.data ?? new Uint8Array());
      try {
        const decipher = createDecipheriv(CIPHER, key, data.subarray(0, IV_BYTES));
        decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return unsealPayload(Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]));
      } catch (error) {
        throw new PayloadDecryptionError(`cannot decrypt a workflow payload with key id ${keyId}: ${(error as Error).message} (altered or truncated ciphertext)`, keyId, this.knownKeyIds);
      }
    });
  }
}

/** The env variables that configure payload encryption. */
export interface PayloadKeyEnv {
  RATCHET_PAYLOAD_KEY?: string;
  RATCHET_PAYLOAD_PREVIOUS_KEYS?: string;
}

/** The codec configured by RATCHET_PAYLOAD_KEY (and old keys for decryption), or null when unset. */
export function payloadCodecFromEnv(env: PayloadKeyEnv): AesGcmPayloadCodec | null {
  if (!env.RATCHET_PAYLOAD_KEY) {
    if (env.RATCHET_PAYLOAD_PREVIOUS_KEYS) throw new Error('RATCHET_PAYLOAD_PREVIOUS_KEYS is set but RATCHET_PAYLOAD_KEY is not: set the current key too');
    return null;
  }
  const previous = (env.RATCHET_PAYLOAD_PREVIOUS_KEYS ?? '').split(',').map((text) => text.trim()).filter(Boolean)
    .map((text, index) => parsePayloadKey(text, `RATCHET_PAYLOAD_PREVIOUS_KEYS[${index}]`));
  return new AesGcmPayloadCodec(parsePayloadKey(env.RATCHET_PAYLOAD_KEY, 'RATCHET_PAYLOAD_KEY'), previous);
}

/** `payloadCodecs` for a client's or worker's data converter: the env's codec, or none. */
export function payloadCodecsFromEnv(env: PayloadKeyEnv): PayloadCodec[] {
  const codec = payloadCodecFromEnv(env);
  return codec ? [codec] : [];
}
