/**
 * Starts innolink: opens (and migrates) the store, loads the demo data on an empty store, and
 * serves the API and web UI on one port.
 */
import type { Config } from './config.ts';
import { buildApp } from './http/app.ts';
import { openStore } from './store/store.ts';
import { loadDemoIfEmpty } from './demo/demo.ts';
import { activeAuditorIds } from './modules/audit/audit.repo.ts';

export async function startServer(config: Config, opts: { port?: number } = {}) {
  const port = opts.port ?? config.port;
  const db = await openStore(config, { port });
  if (config.demo) {
    const loaded = await loadDemoIfEmpty(db, config, (msg) => process.stderr.write(`${msg}\n`));
    if (loaded) process.stderr.write('演示数据已载入 / demo data loaded\n');
  }
  const [admins] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL`);
  if (admins.n === 0) {
    process.stderr.write(
      '尚无管理员：停止服务后运行 / no administrator yet: stop the server and run\n' +
        "  printf '%s' 'PASSWORD' | npx innolink users create admin --role admin --password-stdin\n",
    );
  }
  if ((await activeAuditorIds(db)).length === 0) {
    process.stderr.write(
      '尚无审计员：审计日志只由审计员查看和校验（系统管理员不能查看）。可运行 / no auditor yet: only auditors read and verify the audit log (administrators do not); run\n' +
        "  printf '%s' 'PASSWORD' | npx innolink users create auditor1 --role auditor --password-stdin\n",
    );
  }
  if (db.auditAnchor) {
    process.stderr.write(`审计密钥 / audit key: ${db.auditAnchor.key.id} (${db.auditAnchor.keyFile}); 检查点 / checkpoints: ${db.auditAnchor.checkpointFile}\n`);
  }
  const app = await buildApp({ db, config, logger: { level: config.logLevel } });
  const shutdown = async () => {
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port, host: config.host });
  process.stderr.write(`innolink: http://${config.host}:${port}/ (API: /api, 文档/docs: /api/docs, 存储/store: ${db.engine})\n`);
  return app;
}
