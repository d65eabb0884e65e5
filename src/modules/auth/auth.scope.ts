/**
 * Data scopes as SQL, for list, export and search queries of the registries, and the access
 * resource of one stored record, for `can`. Identifiers come from the registry description only.
 */
import type { Actor } from '../../actor.ts';
import type { Sql } from '../../store/db.ts';
import type { RegistryDef } from '../registry/registry.types.ts';
import { CLASSIFICATIONS, type Classification, type DataScope, type Resource } from './auth.policy.ts';

/** Adds a query parameter and returns its placeholder ($n). */
export type AddParam = (value: unknown) => string;

const SUBTREE = (p: string) => `SELECT d.id FROM admin_regions d JOIN admin_regions s ON d.path LIKE s.path || '%' WHERE s.id = ANY(${p}::bigint[])`;
/** Records of kind $k assigned to reviewer $u. */
const ASSIGNED = (alias: string, u: string, k: string) =>
  `${alias}.id IN (SELECT ra.target_id FROM review_assignments ra WHERE ra.reviewer_id = ${u} AND ra.kind = ${k})`;
/** Projects an organisation leads or takes part in. */
const ORG_PROJECTS = (p: string) => `SELECT pr.id FROM projects pr WHERE pr.lead_org_id = ${p} UNION SELECT pp.project_id FROM project_partners pp WHERE pp.org_id = ${p}`;

const hasClassification = (def: RegistryDef) => def.fields.some((f) => f.name === 'classification');
const projectRef = (def: RegistryDef) => def.fields.find((f) => f.type === 'ref' && f.ref === 'projects')?.name;
const orgRefs = (def: RegistryDef) => def.fields.filter((f) => f.type === 'ref' && f.ref === 'organizations').map((f) => f.name);

/** Whether a registry's records belong to organisations (directly or through a project). */
const hasOwner = (def: RegistryDef) =>
  def.table === 'organizations' || def.table === 'projects' || orgRefs(def).length > 0 || projectRef(def) !== undefined;

/** The condition "belongs to organisation $p" for a registry that has owners. */
function orgCondition(def: RegistryDef, p: string, alias: string): string {
  if (def.table === 'organizations') return `${alias}.id = ${p}`;
  if (def.table === 'projects') return `${alias}.id IN (${ORG_PROJECTS(p)})`;
  const parts = orgRefs(def).map((c) => `${alias}.${c} = ${p}`);
  const pr = projectRef(def);
  if (pr) parts.push(`${alias}.${pr} IN (${ORG_PROJECTS(p)})`);
  return parts.join(' OR ');
}

/**
 * The condition "`column` is a region in the scope's subtrees" (scope.regions must be set): the
 * subtree's ids when the session resolved them — the planner can estimate `= ANY(ids)`, not a
 * walk of the region tree.
 */
export function inRegionScope(scope: DataScope, column: string, param: AddParam): string {
  return scope.regionIds ? `${column} = ANY(${param(scope.regionIds)}::bigint[])` : `${column} IN (${SUBTREE(param(scope.regions))})`;
}

/**
 * The WHERE condition that limits a registry to what `scope` sees, or null when nothing is
 * limited. Regions apply to region-scoped registries, and to unscoped ones linked to a project
 * (outputs) through that project's region. Tables without a classification column count as
 * `internal`.
 */
export function scopeSql(def: RegistryDef, scope: DataScope, param: AddParam, alias = 't'): string | null {
  if (scope.all) return null;
  const general: string[] = [];
  if (scope.regions) {
    const pr = projectRef(def);
    // A parameter is added only when used: PostgreSQL refuses parameters it cannot type.
    if (def.scoped) general.push(inRegionScope(scope, `${alias}.region_id`, param));
    else if (pr) general.push(`${alias}.${pr} IN (SELECT pj.id FROM projects pj WHERE ${inRegionScope(scope, 'pj.region_id', param)})`);
  }
  if (scope.levels.length < CLASSIFICATIONS.length) {
    if (hasClassification(def)) general.push(`${alias}.classification = ANY(${param(scope.levels)}::text[])`);
    else if (!scope.levels.includes('internal')) general.push('false');
  }
  const alternatives = [general.length ? general.join(' AND ') : 'true'];
  if (scope.orgId != null && hasOwner(def)) alternatives.push(orgCondition(def, param(scope.orgId), alias));
  if (scope.assignedTo != null) alternatives.push(ASSIGNED(alias, param(scope.assignedTo), param(def.kind)));
  if (alternatives.length === 1) return alternatives[0] === 'true' ? null : `(${alternatives[0]})`;
  return `((${alternatives.join(') OR (')}))`;
}

const num = (v: unknown): number | null => (v == null ? null : Number(v));

/** Whether the record `kind`/`id` is assigned to the actor for review (reviewers only). */
export async function isAssigned(db: Sql, actor: Actor, kind: string, id: number | null | undefined): Promise<boolean> {
  if (actor.role !== 'reviewer' || actor.userId === undefined || id == null) return false;
  const rows = await db.query('SELECT 1 FROM review_assignments WHERE reviewer_id = $1 AND kind = $2 AND target_id = $3', [actor.userId, kind, id]);
  return rows.length > 0;
}

/**
 * The access resource of an import batch for undoing it: its kind, in the region of the user
 * who made it (an import by the operator or an unscoped user has none, so only unscoped actors
 * undo it).
 */
export async function importResource(db: Sql, imp: { kind: string; actor: string }): Promise<Resource> {
  const rows = await db.query<{ region_id: unknown; path: string | null }>(
    'SELECT u.region_id, r.path FROM users u LEFT JOIN admin_regions r ON r.id = u.region_id WHERE lower(u.username) = lower($1)',
    [imp.actor],
  );
  return { kind: imp.kind, region_id: num(rows[0]?.region_id), region_path: rows[0]?.path ?? null };
}

/** The Chinese and English names of an organisation (empty when it does not exist). */
export async function organisationNames(db: Sql, orgId: number): Promise<string[]> {
  const rows = await db.query<{ name_zh: string | null; name_en: string | null }>('SELECT name_zh, name_en FROM organizations WHERE id = $1', [orgId]);
  return rows.flatMap((r) => [r.name_zh, r.name_en]).filter((n): n is string => !!n);
}

/** The materialised path of a region ('/1/2/3/'), or null. */
export async function regionPath(db: Sql, regionId: number | null | undefined): Promise<string | null> {
  if (regionId == null) return null;
  return (await db.query<{ path: string }>('SELECT path FROM admin_regions WHERE id = $1', [regionId]))[0]?.path ?? null;
}

/**
 * The access resource of a stored registry row (its region with its path, its organisations,
 * its level), for `can(actor, action, resource)` before a read, update or delete. With an
 * actor, `assigned` says whether the row is assigned to it for review.
 */
export async function resourceOf(db: Sql, def: RegistryDef, row: Record<string, unknown>, actor?: Actor): Promise<Resource> {
  let regionId: number | null | undefined;
  if (def.scoped) regionId = num(row.region_id);
  else {
    const pr = projectRef(def);
    if (pr) {
      const pid = num(row[pr]);
      regionId = pid == null ? null : num((await db.query<{ region_id: unknown }>('SELECT region_id FROM projects WHERE id = $1', [pid]))[0]?.region_id);
    }
  }
  const path = await regionPath(db, regionId);

  const orgIds = new Set<number>();
  if (def.table === 'organizations' && row.id != null) orgIds.add(Number(row.id));
  for (const c of orgRefs(def)) if (row[c] != null) orgIds.add(Number(row[c]));
  const projectId = def.table === 'projects' ? num(row.id) : (() => {
    const pr = projectRef(def);
    return pr ? num(row[pr]) : null;
  })();
  if (projectId != null) {
    const owners = await db.query<{ org_id: unknown }>(
      'SELECT lead_org_id AS org_id FROM projects WHERE id = $1 AND lead_org_id IS NOT NULL UNION SELECT org_id FROM project_partners WHERE project_id = $1 AND org_id IS NOT NULL',
      [projectId],
    );
    for (const o of owners) orgIds.add(Number(o.org_id));
  }
  const ids = [...orgIds];
  return {
    kind: def.kind,
    ...(regionId === undefined ? {} : { region_id: regionId, region_path: path }),
    org_id: ids[0] ?? null,
    org_ids: ids,
    classification: hasClassification(def) ? ((row.classification as Classification | null) ?? 'internal') : 'internal',
    ...(actor?.role === 'reviewer' ? { assigned: await isAssigned(db, actor, def.kind, num(row.id)) } : {}),
  };
}
