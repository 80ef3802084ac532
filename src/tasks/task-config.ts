import { z } from 'zod';
import { FuncExpressionError, isFuncExpression, parseFuncExpression } from '../evaluators/func-expression';

/**
 * WebArena's task config, field for field (snake_case as in its files), so that its own
 * test.raw.json validates unchanged. Fields that scoring ignores are accepted and kept.
 */

export const evalTypeSchema = z.enum(['string_match', 'url_match', 'program_html']);
export type EvalType = z.infer<typeof evalTypeSchema>;

/** The one `url_note` WebArena defines; anything else is an error (its harness raises on it too). */
export const URL_NOTE_GOLD_IN_PRED = 'GOLD in PRED';
/** The fuzzy_match value that marks an unachievable task. */
export const UNACHIEVABLE_ANSWER = 'N/A';
/** Separates alternative reference URLs and program_html alternatives. */
export const OR_SEPARATOR = ' |OR| ';
/** Separates start URLs that open one tab each. */
export const AND_SEPARATOR = ' |AND| ';

export const referenceAnswersSchema = z
  .strictObject({
    exact_match: z.string().optional(),
    must_include: z.array(z.string()).min(1).optional(),
    fuzzy_match: z.union([z.array(z.string()).min(1), z.literal(UNACHIEVABLE_ANSWER)]).optional(),
  })
  .refine((answers) => answers.exact_match !== undefined || answers.must_include !== undefined || answers.fuzzy_match !== undefined, {
    message: 'needs at least one of exact_match, must_include, fuzzy_match',
  });
export type ReferenceAnswers = z.infer<typeof referenceAnswersSchema>;

export const requiredContentsSchema = z
  .strictObject({
    exact_match: z.string().optional(),
    must_include: z.array(z.string()).min(1).optional(),
  })
  .refine((contents) => (contents.exact_match === undefined) !== (contents.must_include === undefined), {
    message: 'needs exactly one of exact_match, must_include',
  });
export type RequiredContents = z.infer<typeof requiredContentsSchema>;

function funcExpressionIssue(text: string): string | null {
  if (!isFuncExpression(text)) return null;
  try {
    parseFuncExpression(text);
    return null;
  } catch (error) {
    return error instanceof FuncExpressionError ? error.message : String(error);
  }
}

export const programHtmlTargetSchema = z
  .strictObject({
    /** "last" (the page as left), a URL to open first, or `func:...`. */
    url: z.string().min(1),
    /** "" (whole page HTML), a `document.`/`[...document.` JS expression, or `func:...`. */
    locator: z.string(),
    required_contents: requiredContentsSchema,
    /** JS statements run before the locator; their errors are ignored. */
    prep_actions: z.array(z.string()).optional(),
  })
  .superRefine((target, context) => {
    const urlIssue = funcExpressionIssue(target.url);
    if (urlIssue) context.addIssue({ code: 'custom', path: ['url'], message: urlIssue });
    const locator = target.locator.trim();
    const knownLocator = locator === '' || locator.startsWith('document.') || locator.startsWith('[...document.') || isFuncExpression(locator);
    if (!knownLocator) {
      context.addIssue({ code: 'custom', path: ['locator'], message: 'must be "", start with "document." or "[...document.", or be a func: expression' });
    }
    const locatorIssue = funcExpressionIssue(locator);
    if (locatorIssue) context.addIssue({ code: 'custom', path: ['locator'], message: locatorIssue });
  });
export type ProgramHtmlTarget = z.infer<typeof programHtmlTargetSchema>;

export const taskEvalSchema = z
  .strictObject({
    eval_types: z.array(evalTypeSchema).min(1),
    reference_answers: referenceAnswersSchema.nullable(),
    /** "" or URLs joined by ` |OR| `; null in a few WebArena tasks that do not use url_match. */
    reference_url: z.string().nullable(),
    program_html: z.array(programHtmlTargetSchema),
    url_note: z.literal(URL_NOTE_GOLD_IN_PRED).optional(),
    /** Why the task is unachievable (what the unachievable-task judge compares against). */
    string_note: z.string().optional(),
    reference_answer_raw_annotation: z.string().optional(),
    annotation_note: z.string().optional(),
  })
  .superRefine((evaluation, context) => {
    const types = new Set(evaluation.eval_types);
    if (types.size !== evaluation.eval_types.length) context.addIssue({ code: 'custom', path: ['eval_types'], message: 'lists an evaluator twice' });
    if (types.has('string_match') && evaluation.reference_answers === null) {
      context.addIssue({ code: 'custom', path: ['reference_answers'], message: 'string_match needs reference_answers' });
    }
    if (types.has('url_match') && !evaluation.reference_url) {
      context.addIssue({ code: 'custom', path: ['reference_url'], message: 'url_match needs a non-empty reference_url' });
    }
    if (types.has('program_html') && evaluation.program_html.length === 0) {
      context.addIssue({ code: 'custom', path: ['program_html'], message: 'program_html needs at least one target' });
    }
    if (evaluation.reference_answers?.fuzzy_match === UNACHIEVABLE_ANSWER && evaluation.string_note === undefined) {
      context.addIssue({ code: 'custom', path: ['string_note'], message: 'an unachievable task (fuzzy_match "N/A") needs string_note, the reason the judge compares against' });
    }
  });
export type TaskEval = z.infer<typeof taskEvalSchema>;

const geolocationSchema = z.strictObject({
  latitude: z.number(),
  longitude: z.number(),
  accuracy: z.number().optional(),
});

export const taskConfigSchema = z.strictObject({
  task_id: z.number().int().nonnegative(),
  sites: z.array(z.string().min(1)).min(1),
  intent: z.string().min(1),
  intent_template: z.string(),
  instantiation_dict: z.record(z.string(), z.json()),
  /** The capability key: tasks sharing it are instantiations of one template. */
  intent_template_id: z.number().int().nonnegative(),
  /** One URL, or several joined by ` |AND| ` (one tab each, tab 0 focused). */
  start_url: z.string().min(1),
  require_login: z.boolean(),
  /** Path to saved cookies, or null. */
  storage_state: z.string().nullable(),
  geolocation: geolocationSchema.nullable(),
  require_reset: z.boolean(),
  eval: taskEvalSchema,
  /** A stray copy found at the top level of one WebArena task; ignored by scoring. */
  string_note: z.string().optional(),
});
export type TaskConfig = z.infer<typeof taskConfigSchema>;

/** Whether a task is unachievable by design (its reference answer is fuzzy_match "N/A"). */
export function isUnachievableTask(task: TaskConfig): boolean {
  return task.eval.reference_answers?.fuzzy_match === UNACHIEVABLE_ANSWER;
}
