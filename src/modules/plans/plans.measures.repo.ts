/**
 * Queries of the registry measures (plans.measures.ts): counts of platforms, projects and
 * mechanisms in a plan region's subtree as of a date. "Exists by then" uses what each registry
 * records (a platform's established_year, a project's start_date, a mechanism's signed_date;
 * a record without that date counts at any date); only records in an active state count. The
 * SQL each one sends is in src/store/queries/plans.sql (examples: plans.measures.repo.examples.ts).
 */
import type { Sql } from '../../store/db.ts';
import { qb, type Row } from '../../store/kysely.ts';

/** Ids of the regions in the subtree at a materialised path ('/1/2/'). */
const subtree = (db: Sql, path: string) => qb(db).selectFrom('admin_regions as d').select('d.id').where('d.path', 'like', `${path}%`);

/** Active platforms of a kind (and level), established by the as-of year, in a region's subtree (null: everywhere). */
export async function countPlatforms(
  db: Sql,
  f: { kind: Row<'platforms'>['kind']; level?: NonNullable<Row<'platforms'>['level']> },
  asOf: string,
  regionPath: string | null,
): Promise<number> {
  let q = qb(db)
    .selectFrom('platforms as p')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('p.kind', '=', f.kind)
    .where('p.status', '=', 'active')
    .where((eb) => eb.or([eb('p.established_year', 'is', null), eb('p.established_year', '<=', Number(asOf.slice(0, 4)))]));
  if (f.level) q = q.where('p.level', '=', f.level);
  if (regionPath !== null) q = q.where('p.region_id', 'in', subtree(db, regionPath));
  return (await q.executeTakeFirstOrThrow()).n;
}

/** Active projects started by the as-of date with at least one partner from outside China, in a region's subtree. */
export async function countIntlProjects(db: Sql, asOf: string, regionPath: string | null): Promise<number> {
  let q = qb(db)
    .selectFrom('projects as pr')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pr.status', '=', 'active')
    .where((eb) => eb.or([eb('pr.start_date', 'is', null), eb('pr.start_date', '<=', asOf)]))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('project_partners as pp')
          .leftJoin('organizations as o', 'o.id', 'pp.org_id')
          .select(eb.lit(1).as('one'))
          .whereRef('pp.project_id', '=', 'pr.id')
          .where((e) => e(e.fn.coalesce('pp.country_iso3', 'o.country_iso3'), '<>', 'CHN')),
      ),
    );
  if (regionPath !== null) q = q.where('pr.region_id', 'in', subtree(db, regionPath));
  return (await q.executeTakeFirstOrThrow()).n;
}

/** Active mechanisms of some kinds signed by the as-of date, in a region's subtree. */
export async function countMechanisms(db: Sql, kinds: ReadonlyArray<Row<'mechanisms'>['kind']>, asOf: string, regionPath: string | null): Promise<number> {
  let q = qb(db)
    .selectFrom('mechanisms as m')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.kind', 'in', kinds)
    .where('m.status', '=', 'active')
    .where((eb) => eb.or([eb('m.signed_date', 'is', null), eb('m.signed_date', '<=', asOf)]));
  if (regionPath !== null) q = q.where('m.region_id', 'in', subtree(db, regionPath));
  return (await q.executeTakeFirstOrThrow()).n;
}
