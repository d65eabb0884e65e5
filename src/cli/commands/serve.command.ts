import type { CommandModule } from '../cli.ts';
import { action } from '../cli.ts';

/** `innolink serve`: start the web UI and API on one port. */
export const serveCommand: CommandModule = (program, rt) => {
  program
    .command('serve')
    .description('启动服务（网页与 API 同一端口） / start the server (web UI and API on one port)')
    .option('--port <port>', '端口 / port')
    .action(
      action(rt, async (opts: { port?: string }) => {
        const { startServer } = await import('../../server.ts');
        await startServer(rt.config, { port: opts.port ? Number(opts.port) : undefined });
      }),
    );
};
