import { Command, CommanderError } from 'commander';
import { registerActionsCommand } from './actions-command';
import { registerCodecServerCommand } from './codec-server-command';
import { registerExperimentCommands } from './experiment-commands';
import { registerExportCommand } from './export-command';
import { registerFaultProxyCommand } from './fault-proxy-command';
import { registerMetricsCommand } from './metrics-command';
import { registerModelServerCommand } from './model-server-command';
import { registerOperatorCommands } from './operator-commands';
import { registerReportCommand } from './report-command';
import { registerScheduleCommand } from './schedule-command';
import { registerSitesCommand } from './sites-command';
import { registerStackCommands } from './stack-commands';
import { registerTasksCommand } from './tasks-command';

/**
 * The `ratchet` command line. Each command group lives in its own file under src/cli/ and
 * exports a `register...Command(program)` function that is called here.
 */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('ratchet')
    .description('Unattended, multi-round self-improvement of LLM web agents on Temporal')
    .showHelpAfterError()
    .exitOverride();
  const registrations: Array<(program: Command) => void> = [
    registerStackCommands,
    registerOperatorCommands,
    registerScheduleCommand,
    registerExperimentCommands,
    registerReportCommand,
    registerExportCommand,
    registerTasksCommand,
    registerSitesCommand,
    registerModelServerCommand,
    registerActionsCommand,
    registerMetricsCommand,
    registerFaultProxyCommand,
    registerCodecServerCommand,
  ];
  for (const register of registrations) register(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`ratchet: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
