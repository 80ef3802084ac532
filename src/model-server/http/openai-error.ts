/** An error the server answers in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}`. */
export class OpenAiHttpError extends Error {
  override readonly name = 'OpenAiHttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly type: 'invalid_request_error' | 'not_found_error' | 'server_error' = status === 404 ? 'not_found_error' : status >= 500 ? 'server_error' : 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  /** The response body. */
  toBody(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A 404 for an unknown resource, worded like OpenAI's. */
export function notFound(kind: 'model' | 'file' | 'fine-tuning job', id: string, param: string | null = null): OpenAiHttpError {
  const code = kind === 'model' ? 'model_not_found' : kind === 'file' ? 'file_not_found' : 'fine_tuning_job_not_found';
  return new OpenAiHttpError(404, `The ${kind} '${id}' does not exist`, 'not_found_error', param, code);
}
