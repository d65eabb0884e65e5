/**
 * Who may do what, in one place. `can` decides for one record, `scopeOf` says which records an
 * actor sees (list queries turn it into SQL with `scopeSql`), and clearance decides which
 * classification levels and restricted fields an actor sees. Pure: no store, no HTTP.
 *
 * Roles (issue 3; the auditor from issue 21):
 * - system (the operator's CLI): everything, including the audit log;
 * - admin: everything except the audit log — users, every record, every level;
 * - auditor (审计员): reads the audit log, verifies it and takes its checkpoints; of the
 *   business data only what the public sees, and writes nothing (等保 三员分立: the system
 *   administrator does not read the log of what administrators did, the auditor does);
 * - bureau (局): records of its region's subtree (everywhere when it has no region), all levels;
 * - district (辖市区): records of its district's subtree only, all levels;
 * - evaluator: reads every region up to `internal`; writes evaluations only;
 * - organization: its organisation's records (read, create, update), plus published data;
 * - reviewer: items assigned to it (review_assignments), plus published data;
 * - public: published (`public`) records only.
 * Every role sees at least what `public` sees. Reference data (countries, regions) is
 * `public`; changing countries and assigning reviewers is for bureau officers. Records that
 * apply below their region (an action plan of 常州 binds 新北 and 武进) are read — and reported
 * on — by officers scoped below it, but changed only by those whose scope holds the region.
 */
import type { Actor, Role } from '../../actor.ts';

export const USER_ROLES = ['admin', 'bureau', 'district', 'evaluator', 'organization', 'reviewer', 'public', 'auditor'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const ACTIONS = ['read', 'create', 'update', 'delete', 'import', 'export', 'audit'] as const;
export type Action = (typeof ACTIONS)[number];

export const CLASSIFICATIONS = ['public', 'internal', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** Resource kinds that evaluators write (the evaluation module's records). */
export const EVALUATION_KINDS: ReadonlySet<string> = new Set(['evaluations', 'indicator_frameworks']);
/** Resource kinds that reviewers write on items assigned to them. */
export const REVIEW_KINDS: ReadonlySet<string> = new Set(['reviews']);
/** Kinds only administrators (and the operator) touch. */
const ADMIN_KINDS: ReadonlySet<string> = new Set(['users', 'backup']);
/** The audit log: auditors (and the operator) read and verify it; nobody changes it. */
export const AUDIT_KIND = 'audit';
/** Shared reference data that everyone reads and, besides administrators, only bureau officers change. */
export const REFERENCE_KINDS: ReadonlySet<string> = new Set(['countries']);
/**
 * Who reviews what (kind of a review assignment, whose resource carries the target's region
 * and level): kept from applicants and the public. Bureau officers assign and see them in
 * their scope; a reviewer sees its own (`assigned`).
 */
export const ASSIGNMENTS_KIND = 'review_assignments';
/**
 * Kinds that responsible parties add to a record they may read: progress reports on an action
 * plan's tasks. Officers scoped below the plan's region create them; organisations on their own.
 */
export const REPORT_KINDS: ReadonlySet<string> = new Set(['plan_reports']);

/** What an access decision looks at. */
export interface Resource {
  /** Registry kind (projects, organizations …) or users, audit, evaluations, reviews … */
  readonly kind: string;
  /**
   * The record's administrative region. `undefined`: regions do not apply to this kind;
   * `null`: the record has none (then only actors without a region scope may touch it).
   */
  readonly region_id?: number | null;
  /** The region's materialised path ('/1/2/3/'), needed when region_id is below a scope root. */
  readonly region_path?: string | null;
  /** The organisation the record belongs to (lead, host, affiliation …). */
  readonly org_id?: number | null;
  /** Further organisations it belongs to (a project's partners). */
  readonly org_ids?: readonly number[];
  /** Organisations that take part without owning it (a plan's responsible units): they read it, never change it. */
  readonly participant_org_ids?: readonly number[];
  /** Record level; records without one count as `internal`. */
  readonly classification?: Classification | null;
  /** Assigned to the acting reviewer. */
  readonly assigned?: boolean;
  /**
   * The record applies to its region's whole subtree (a plan of 常州 binds its districts), or
   * everywhere when its region is null: officers scoped below it read it and report on it.
   */
  readonly applies_below?: boolean;
}

/** The anonymous actor of requests without a session: role public, no user id. */
export const ANONYMOUS: Actor = Object.freeze({ name: 'anonymous', role: 'public' as const, regionScope: null });

/** Whether the actor is a logged-in user or the operator (not the anonymous public). */
export function isAuthenticated(actor: Actor): boolean {
  return actor.role === 'system' || actor.userId !== undefined;
}

/** The highest classification level an actor is cleared for. */
export function clearanceOf(actor: Actor): Classification {
  switch (actor.role) {
    case 'system':
    case 'admin':
    case 'bureau':
    case 'district':
      return 'restricted';
    case 'evaluator':
    case 'organization':
    case 'reviewer':
      return 'internal';
    default:
      return 'public';
  }
}

/** Levels up to and including `level`. */
export function levelsUpTo(level: Classification): Classification[] {
  return CLASSIFICATIONS.slice(0, CLASSIFICATIONS.indexOf(level) + 1);
}

/** The region scope a user's role and region give (the `Actor.regionScope` of its requests). */
export function regionScopeFor(role: UserRole, regionId: number | null): readonly number[] | null {
  switch (role) {
    case 'bureau':
      return regionId == null ? null : [regionId];
    case 'district':
      return regionId == null ? [] : [regionId];
    // They see by organisation or assignment, never by region: an empty scope keeps any
    // region-scoped query that does not know about scopeOf closed to them.
    case 'organization':
    case 'reviewer':
      return [];
    default:
      return null;
  }
}

/** The actor of a logged-in user (`region_path`: its region's materialised path, when known). */
export function actorForUser(u: {
  id: number;
  username: string;
  role: UserRole;
  region_id: number | null;
  org_id: number | null;
  region_path?: string | null;
  /** The ids of the region's subtree (the region and every region below it), when known. */
  region_ids?: readonly number[] | null;
}): Actor {
  const regionScope = regionScopeFor(u.role, u.region_id);
  return Object.freeze({
    name: u.username,
    role: u.role,
    regionScope,
    ...(regionScope?.length && u.region_path ? { regionPaths: [u.region_path] } : {}),
    ...(regionScope?.length && u.region_ids ? { regionIds: Object.freeze([...u.region_ids]) } : {}),
    userId: u.id,
    ...(u.org_id != null ? { orgId: u.org_id } : {}),
  });
}

/** Which records an actor sees, for list queries (see `scopeSql`). */
export interface DataScope {
  /** Everything, every level. */
  readonly all: boolean;
  /** Region subtrees of what it sees in general; null: every region. */
  readonly regions: readonly number[] | null;
  /** Every region id in those subtrees, when the actor's session resolved them. */
  readonly regionIds?: readonly number[];
  /** Record levels it sees in general. */
  readonly levels: readonly Classification[];
  /** Its organisation's records are visible at every level as well. */
  readonly orgId: number | null;
  /** Items assigned to this reviewer (user id) are visible as well. */
  readonly assignedTo: number | null;
}

/** The data scope of an actor. */
export function scopeOf(actor: Actor): DataScope {
  const base = { all: false, regions: null, orgId: null, assignedTo: null };
  switch (actor.role) {
    case 'system':
    case 'admin':
      return { ...base, all: true, levels: CLASSIFICATIONS };
    case 'bureau':
    case 'district':
      return { ...base, regions: actor.regionScope, ...(actor.regionIds ? { regionIds: actor.regionIds } : {}), levels: CLASSIFICATIONS };
    case 'evaluator':
      return { ...base, levels: levelsUpTo('internal') };
    case 'organization':
      return { ...base, levels: ['public'], orgId: actor.orgId ?? null };
    case 'reviewer':
      return { ...base, levels: ['public'], assignedTo: actor.userId ?? null };
    default:
      return { ...base, levels: ['public'] };
  }
}

/** Whether a region lies in one of the scope's subtrees (paths look like '/1/2/3/'). */
export function regionInScope(scope: readonly number[] | null, regionId: number | null | undefined, regionPath?: string | null): boolean {
  if (scope === null || regionId === undefined) return true;
  if (regionId === null) return false;
  if (scope.includes(regionId)) return true;
  if (!regionPath) return false; // below a scope root only the path can tell: refuse without it
  return scope.some((id) => regionPath.includes(`/${id}/`));
}

function owns(actor: Actor, r: Resource): boolean {
  if (actor.orgId === undefined) return false;
  return r.org_id === actor.orgId || (r.org_ids?.includes(actor.orgId) ?? false);
}

/**
 * Whether a record that applies below its region reaches the actor's scope: it has no region
 * (applies everywhere), or one of the actor's scope roots lies in its region's subtree.
 */
function reachesBelow(actor: Actor, r: Resource): boolean {
  if (!r.applies_below || r.region_id === undefined) return false;
  if (r.region_id === null) return true;
  return actor.regionPaths?.some((p) => p.includes(`/${r.region_id}/`)) ?? false;
}

/** Whether the record lies in the actor's region scope (its own subtree, not above it). */
const inRegion = (actor: Actor, r: Resource) => regionInScope(actor.regionScope, r.region_id, r.region_path);

function sees(actor: Actor, r: Resource): boolean {
  const level = r.classification ?? 'internal';
  switch (actor.role as Role) {
    case 'system':
    case 'admin':
      return true;
    case 'bureau':
    case 'district':
      return inRegion(actor, r) || reachesBelow(actor, r);
    case 'evaluator':
      return level !== 'restricted';
    case 'organization':
      return owns(actor, r) || (actor.orgId !== undefined && (r.participant_org_ids?.includes(actor.orgId) ?? false)) || level === 'public';
    case 'reviewer':
      return r.assigned === true || level === 'public';
    default:
      return level === 'public';
  }
}

/**
 * Whether `actor` may do `action` on `resource`. Reading and exporting need the record to be
 * visible; writing needs it visible and the role to write that kind; users are for
 * administrators; the audit log (`audit`, and reading it) is for auditors — not administrators.
 */
export function can(actor: Actor, action: Action, resource: Resource): boolean {
  if (actor.role === 'system') return true;
  if (resource.kind === AUDIT_KIND || action === 'audit') {
    return actor.role === 'auditor' && resource.kind === AUDIT_KIND && (action === 'read' || action === 'audit');
  }
  if (actor.role === 'admin') return true;
  if (ADMIN_KINDS.has(resource.kind)) return false;
  if (resource.kind === ASSIGNMENTS_KIND) {
    if (actor.role === 'bureau') return inRegion(actor, resource);
    return actor.role === 'reviewer' && action === 'read' && resource.assigned === true;
  }
  if (!sees(actor, resource)) return false;
  if (action === 'read' || action === 'export') return true;
  if (REFERENCE_KINDS.has(resource.kind)) return actor.role === 'bureau';
  switch (actor.role) {
    case 'bureau':
    case 'district':
      // A plan of the city binds the districts: they report on it, but change only their own.
      return inRegion(actor, resource) || (action === 'create' && REPORT_KINDS.has(resource.kind));
    case 'evaluator':
      return (action === 'create' || action === 'update') && EVALUATION_KINDS.has(resource.kind);
    case 'organization':
      return (action === 'create' || action === 'update') && owns(actor, resource);
    case 'reviewer':
      return (action === 'create' || action === 'update') && REVIEW_KINDS.has(resource.kind) && resource.assigned === true;
    default:
      return false;
  }
}
