/** Every CLI command module, in the order they appear in --help. */
import type { CommandModule } from '../cli.ts';
import { serveCommand } from './serve.command.ts';

export const commandModules: CommandModule[] = [serveCommand];
