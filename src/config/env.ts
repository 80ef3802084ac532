import { z } from 'zod';

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
