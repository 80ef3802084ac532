// Ratchet as a library: the pure parts, usable without Temporal, PostgreSQL or a browser stack.
export { taskConfigSchema, type TaskConfig } from './tasks/task-config';
export { loadTaskSuite, type LoadedTaskSuite } from './tasks/load-task-suite';
export { replacePlaceholders, replacePlaceholdersDeep } from './tasks/placeholders';
export * from './evaluators';
export { parseAction } from './actions/parse-action';
export { describeAction } from './actions/describe-action';
export { formatAccessibilityTree } from './observation/format-accessibility-tree';
export { buildAgentMessages } from './agent/prompt';
export * from './metrics';
export * from './critique';
export * from './mixtures';
export { runSpecSchema, parseRunSpec, loadRunSpec, type RunSpec } from './config/run-spec';
export { createModelClient, classifyModelError, ModelCallError } from './llm/model-client';
