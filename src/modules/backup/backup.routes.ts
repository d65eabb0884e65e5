/**
 * POST /api/backup (administrators): the whole store as a backup file, streamed — the way to
 * back up the embedded store while its server holds the data folder (the CLI's
 * `innolink backup` does the same on a PostgreSQL server, or on the data folder while the server
 * is stopped). The download is recorded in the audit log. A POST, not a GET: it is not a page
 * a link should fetch, and it leaves a trace.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctx } from '../../http/context.ts';
import { forbidden } from '../../errors.ts';
import { can } from '../auth/auth.policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { backupStream } from './backup.ts';

export const backupApi: FastifyPluginAsync = async (app) => {
  // The web page asks with a plain form submission (so the browser shows its own download
  // progress): an empty urlencoded body, read and ignored.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, _body, done) => done(null, {}));
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/backup',
    {
      schema: {
        tags: ['backup'],
        summary: '下载整个库的备份文件（管理员；一致快照） / Download a backup of the whole store (administrators; a consistent snapshot)',
        description: '与 innolink backup 的文件相同，可用 innolink restore 恢复 / the same file as `innolink backup` makes; restore it with `innolink restore`',
      },
    },
    async (req, reply) => {
      const c = ctx(req);
      if (!can(c.actor, 'export', { kind: 'backup' })) throw forbidden();
      const name = `innolink-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}.innolink.gz`;
      await c.db.transaction((tx) => recordAudit(tx, { actor: c.actor, action: 'backup.download', entity: 'store', entityId: null, after: { file: name }, requestId: c.requestId }));
      void reply.header('content-type', 'application/gzip').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store');
      return reply.send(backupStream(c.db));
    },
  );
};
