/** Every CLI command module, in the order they appear in --help. */
import type { CommandModule } from '../cli.ts';
import { countriesCommand } from './countries.command.ts';
import { importCommand } from './import.command.ts';
import { cordisCommand } from '../../modules/imports/presets.command.ts';
import { qualityCommand } from '../../modules/quality/quality.command.ts';
import { planCommand } from './plan.command.ts';
import { planMonitoringCommands } from '../../modules/plans/plans.monitoring.command.ts';
import { queryCommand } from './query.command.ts';
import { analyticsCommands } from '../../modules/analytics/analytics.command.ts';
import { registryCommands } from './registry.command.ts';
import { serveCommand } from './serve.command.ts';
import { usersCommand } from './users.command.ts';
import { auditCommand } from './audit.command.ts';
import { evalCommand } from './eval.command.ts';
import { reportCommand } from '../../modules/reports/reports.command.ts';
import { marketCommands } from '../../modules/market/market.command.ts';
import { reviewCommands } from '../../modules/review/review.command.ts';
import { backupCommand } from './backup.command.ts';

export const commandModules: CommandModule[] = [serveCommand, importCommand, cordisCommand, qualityCommand, queryCommand, analyticsCommands, countriesCommand, registryCommands, planCommand, planMonitoringCommands, usersCommand, auditCommand, evalCommand, reportCommand, marketCommands, reviewCommands, backupCommand];
