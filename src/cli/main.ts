/**
 * The innolink command line. Commands call the same services as the HTTP API, never the
 * server over HTTP.
 */
import { Command, CommanderError } from 'commander';
import { createRuntime, EXIT_USAGE } from './cli.ts';
import { commandModules } from './commands/index.ts';

export async function main(argv: string[]): Promise<void> {
  const rt = createRuntime();
  const program = new Command('innolink')
    .description('innolink — 国际科技合作管理平台 / international STI cooperation platform')
    .exitOverride()
    .showHelpAfterError();
  for (const register of commandModules) register(program, rt);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        process.exitCode = 0;
        return;
      }
      if (argv.includes('--json')) {
        rt.printJson({ error: { code: 'BAD_USAGE', message: '命令用法错误', message_en: e.message, details: [] } });
      }
      process.exitCode = EXIT_USAGE;
      return;
    }
    throw e;
  }
}
