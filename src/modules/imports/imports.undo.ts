/**
 * Undo of an import as one batch: rows it updated get their before-images back, rows it added
 * are deleted. Refused when a later import or an edit built on what it added.
 */
import { AppError, notFound } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { getImport, UNDO_ORDER } from './imports.repo.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { can } from '../auth/auth.policy.ts';

export interface UndoResult {
  import_id: number;
  restored: number;
  deleted: Record<string, number>;
}

const KEY_COLUMNS: Record<string, string[]> = {
  country_indicators: ['iso3', 'indicator', 'year'],
};

export async function undoImport(ctx: ServiceContext, id: number): Promise<UndoResult> {
  const imp = await getImport(ctx.db, id);
  if (!imp) throw notFound('import', id);
  if (!can(ctx.actor, 'import', { kind: imp.kind })) {
    throw new AppError('FORBIDDEN', 403, '没有权限撤销导入', 'You are not allowed to undo imports');
  }
  if (imp.status !== 'done') {
    throw new AppError('IMPORT_NOT_UNDOABLE', 409, `导入批次 ${id} 的状态为“${imp.status}”，无法撤销`, `Import ${id} is ${imp.status} and cannot be undone`);
  }
  // A later import that changed rows this one added must be undone first.
  const later = await ctx.db.query<{ import_id: number }>(
    `SELECT DISTINCT c.import_id FROM import_changes c JOIN imports i ON i.id = c.import_id
      WHERE c.import_id > $1 AND i.status = 'done' AND (c.before ->> 'import_id')::bigint = $1`,
    [id],
  );
  if (later.length) {
    throw new AppError('IMPORT_UNDO_BLOCKED', 409, `请先撤销后续修改了这些记录的导入：${later.map((l) => l.import_id).join('、')}`,
      `Undo the later imports that changed these records first: ${later.map((l) => l.import_id).join(', ')}`);
  }
  try {
    return await ctx.db.transaction(async (tx) => {
      const changes = await tx.query<{ table_name: string; record_key: string; before: Record<string, unknown> }>(
        'SELECT table_name, record_key, before FROM import_changes WHERE import_id = $1 ORDER BY seq DESC',
        [id],
      );
      for (const c of changes) {
        const cols = Object.keys(c.before).filter((k) => k !== 'import_id');
        const keyCols = KEY_COLUMNS[c.table_name];
        const vals = cols.map((k) => c.before[k]);
        if (keyCols) {
          const keyVals = c.record_key.split('|');
          await tx.query(
            `UPDATE ${c.table_name} SET ${cols.map((k, i) => `${k} = $${i + 1}`).join(', ')}
              WHERE ${keyCols.map((k, i) => `${k}::text = $${cols.length + i + 1}`).join(' AND ')}`,
            [...vals, ...keyVals],
          );
        } else {
          await tx.query(
            `UPDATE ${c.table_name} SET ${cols.map((k, i) => `${k} = $${i + 1}`).join(', ')} WHERE id = $${cols.length + 1}`,
            [...vals, Number(c.record_key)],
          );
        }
      }
      const deleted: Record<string, number> = {};
      for (const table of UNDO_ORDER) {
        const rows = await tx.query<{ n: number }>(`WITH d AS (DELETE FROM ${table} WHERE import_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [id]);
        if (rows[0].n) deleted[table] = rows[0].n;
      }
      await tx.query(`UPDATE imports SET status = 'undone', undone_at = now(), undone_by = $2 WHERE id = $1`, [id, ctx.actor.name]);
      await recordAudit(tx, { actor: ctx.actor, action: 'undo', entity: 'import', entityId: id, before: { status: 'done' }, after: { status: 'undone', restored: changes.length, deleted }, requestId: ctx.requestId });
      return { import_id: id, restored: changes.length, deleted };
    });
  } catch (e) {
    throw translatePgError(e);
  }
}
