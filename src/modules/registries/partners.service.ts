/**
 * A project's partners (合作单位 and their countries): list, add, remove. Partners are part of
 * the project: whoever sees the project (registry scope; 404 otherwise, as for the project
 * itself) sees them, and whoever may update the project (`can(actor, 'update', project)`;
 * 403 otherwise) adds and removes them. Each change is on the audit log, in its transaction.
 */
import { forbidden, notFound, validationFailed } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { can } from '../auth/auth.policy.ts';
import { resourceOf } from '../auth/auth.scope.ts';
import { rawRow } from '../registry/registry.repo.ts';
import { registryService } from '../registry/registry.service.ts';
import { projects } from './defs.ts';
import { projectRelated } from './projects.related.ts';

const projectService = registryService(projects);

export interface PartnerInput {
  org_id?: number;
  country_iso3?: string;
  role: string;
  contribution?: number;
  currency?: string;
}

const PARTNER_COLS = 'id, project_id, org_id, country_iso3, role, contribution, currency';

/** The partners of a project the actor may see (404 when it may not see the project). */
export async function listPartners(ctx: ServiceContext, projectId: number) {
  return (await projectService.get(ctx, projectId, projectRelated)).partners;
}

/** Refuses (403) unless the actor may update the project, as stored now. */
async function assertMayUpdate(tx: Sql, ctx: ServiceContext, projectId: number): Promise<void> {
  const row = await rawRow(tx, projects, projectId);
  if (!row) throw notFound(projects.entity, projectId);
  if (!can(ctx.actor, 'update', await resourceOf(tx, projects, row, ctx.actor))) throw forbidden();
}

/** Adds a partner (an organisation, a country, or both); returns the project's partners. */
export async function addPartner(ctx: ServiceContext, projectId: number, b: PartnerInput) {
  await projectService.get(ctx, projectId); // 404 outside the actor's scope
  if (!b.org_id && !b.country_iso3) {
    throw validationFailed([{ field: 'org_id', code: 'PARTNER_EMPTY', message: '请填写合作单位或国别', message_en: 'Give an organisation or a country' }]);
  }
  try {
    await ctx.db.transaction(async (tx) => {
      await assertMayUpdate(tx, ctx, projectId);
      const [row] = await tx.query<Record<string, unknown>>(
        `INSERT INTO project_partners (project_id, org_id, country_iso3, role, contribution, currency)
         VALUES ($1, $2, coalesce($3, (SELECT country_iso3 FROM organizations WHERE id = $2)), $4, $5, $6)
         RETURNING ${PARTNER_COLS}`,
        [projectId, b.org_id ?? null, b.country_iso3 ?? null, b.role, b.contribution ?? null, b.currency ?? null],
      );
      await recordAudit(tx, { actor: ctx.actor, action: 'create', entity: 'project_partner', entityId: Number(row.id), before: null, after: row, requestId: ctx.requestId });
    });
  } catch (e) {
    throw translatePgError(e);
  }
  return listPartners(ctx, projectId);
}

/** Removes partner `partnerId` of the project (404 when the project has no such partner). */
export async function removePartner(ctx: ServiceContext, projectId: number, partnerId: number): Promise<void> {
  await projectService.get(ctx, projectId);
  await ctx.db.transaction(async (tx) => {
    await assertMayUpdate(tx, ctx, projectId);
    const [before] = await tx.query<Record<string, unknown>>(`DELETE FROM project_partners WHERE id = $1 AND project_id = $2 RETURNING ${PARTNER_COLS}`, [partnerId, projectId]);
    if (!before) throw notFound('record', partnerId);
    await recordAudit(tx, { actor: ctx.actor, action: 'delete', entity: 'project_partner', entityId: partnerId, before, after: null, requestId: ctx.requestId });
  });
}
