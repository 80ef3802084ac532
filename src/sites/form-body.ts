import type { z } from 'zod';

/** Thrown when a submitted form does not match its schema; the site answers 400 with the message. */
export class FormValidationError extends Error {
  constructor(readonly form: string, readonly issues: string) {
    super(`invalid ${form} form: ${issues}`);
    this.name = 'FormValidationError';
  }
}

/** Parses a urlencoded form body (or query) with a zod schema, naming the form on failure. */
export function parseForm<Schema extends z.ZodType>(form: string, schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new FormValidationError(form, result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '));
  }
  return result.data;
}

/** A local path to go back to after logging in (never another origin). */
export function safeReturnPath(candidate: string | undefined): string {
  return candidate !== undefined && candidate.startsWith('/') && !candidate.startsWith('//') ? candidate : '/';
}
