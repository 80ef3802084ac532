import { z } from 'zod';

const isPayloadKey = (text: string) => /^[A-Za-z0-9+/]+={0,2}$/.test(text.trim()) && Buffer.from(text.trim(), 'base64').length === 32;

/** Environment variables Ratchet reads, validated once at start-up. Unset means "use the embedded default". */
export const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  RATCHET_DATA_DIR: z.string().min(1).default('.data'),
  RATCHET_CHROMIUM_PATH: z.string().min(1).optional(),
  /** Where a separate worker process finds the local model server (`ratchet dev` prints it). */
  RATCHET_MODEL_SERVER_URL: z.string().url().optional(),
  /** JSON placeholder -> URL map of the built-in sites, for separate worker processes. */
  RATCHET_SITE_URLS: z
    .string()
    .transform((text, context) => {
      try {
        return z.record(z.string(), z.string().url()).parse(JSON.parse(text));
      } catch {
        context.addIssue({ code: 'custom', message: 'must be a JSON object of placeholder -> URL' });
        return z.NEVER;
      }
    })
    .optional(),
  /** Least time a fine-tuning job of the local model server stays running, in ms (its training takes milliseconds; remote ones take minutes). */
  RATCHET_MODEL_SERVER_MIN_TRAINING_MS: z.coerce.number().int().min(0).optional(),
  /** Base64 of 32 bytes: encrypts workflow payloads (AES-256-GCM) in every client and worker; see docs/security.md. */
  RATCHET_PAYLOAD_KEY: z.string().min(1).refine(isPayloadKey, 'must be base64 of 32 bytes (openssl rand -base64 32)').optional(),
  /** Comma-separated earlier payload keys, still used to decrypt after a rotation. */
  RATCHET_PAYLOAD_PREVIOUS_KEYS: z.string().min(1).refine((text) => text.split(',').map((key) => key.trim()).filter(Boolean).every(isPayloadKey), 'must be comma-separated base64 keys of 32 bytes each').optional(),
  /** Log level of the Temporal SDK and workers (progress is printed separately). */
  RATCHET_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('error'),
});

export type RatchetEnv = z.infer<typeof envSchema>;

/** Reads and validates the environment; the error names every bad variable. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): RatchetEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid environment: ${problems}`);
  }
  return parsed.data;
}
