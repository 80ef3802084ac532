import { z } from 'zod';
import { chatMessageSchema } from '../domain/trajectory';

/**
 * One supervised example: the full prompt messages of a step -> the response the model should give.
 * In-domain examples come from kept trajectories; synthetic (OOD) examples have the same shape.
 */
export const trainingExampleSchema = z.strictObject({
  id: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  response: z.string(),
  /** Where the example came from (episode and step, generator call, file line...); not trained on. */
  provenance: z.record(z.string(), z.unknown()),
});
export type TrainingExample = z.infer<typeof trainingExampleSchema>;

/** A synthetic out-of-domain example (METHOD.md step 4), grounded or not. */
export const syntheticExampleSchema = trainingExampleSchema;
export type SyntheticExample = TrainingExample;

/** Which step of its trajectory an in-domain example was taken from. */
export const stepPositionSchema = z.enum(['first', 'intermediate', 'last']);
export type StepPosition = z.infer<typeof stepPositionSchema>;
