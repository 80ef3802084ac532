import type { Command } from 'commander';
import { parseAction } from '../actions/parse-action';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** `ratchet actions parse`: how the agent runtime reads a model response (a diagnostic; exits 0 either way). */
export function registerActionsCommand(program: Command): void {
  const actions = program.command('actions').description('Inspect the agent action grammar');
  actions
    .command('parse')
    .description('Read a model response on stdin and print the action parsed from its first ``` block as JSON')
    .action(async () => {
      const result = parseAction(await readStdin());
      const output = result.valid ? { valid: true, ...result.action } : { valid: false, error: result.error };
      process.stdout.write(`${JSON.stringify(output)}\n`);
    });
}
