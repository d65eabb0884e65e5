-- Pre-aggregated figures behind the region dashboard (issue 4), kept exact by triggers under
-- import, edit and undo. Two families:
--
-- 1. agg_funding: funding lines summed by (the line's own region, the region it is attributed
--    to — its own, else its project's —, year, country, the project's field, classification,
--    currency). The line's own region and classification stay in the key so that access scopes
--    apply to the aggregate exactly as they apply to the funding registry.
--    Maintained by deltas: statement triggers on funding (transition tables), a statement
--    trigger on projects whose region or field changed, and a row trigger before a project is
--    deleted (its lines are subtracted while the project can still be read; the cascaded
--    deletion of the lines is then skipped).
--
-- 2. The collaboration network by country: agg_project_countries holds each project's
--    participations by country exactly as the network counts them (partner rows, the lead
--    organisation, China for a project under a Chinese region that names no lead — see
--    analytics.repo.ts `participations`), with the project's region, start year and
--    classification. agg_net_country, agg_net_pair and agg_net_cell sum it per (region, start
--    year, classification). Any change to a project, its partners or an organisation's country
--    recomputes the affected projects: their old snapshot is subtracted, recomputed from the
--    tables, and added — so the sums stay exact whatever changed.
--
-- Rows whose counts reach zero are removed. agg_rebuild() recomputes everything from the
-- tables (used once below, and by tests to compare). A trigram index on organisation name keys
-- serves the data-quality view (likely duplicates).

CREATE TABLE agg_funding (
  line_region_id bigint,
  region_id      bigint,
  year           integer NOT NULL,
  country_iso3   text,
  field          text,
  classification text NOT NULL,
  currency       text NOT NULL,
  amount         numeric NOT NULL,
  records        bigint NOT NULL
);
CREATE UNIQUE INDEX agg_funding_key ON agg_funding (coalesce(line_region_id, 0), coalesce(region_id, 0), year,
  coalesce(country_iso3, ''), coalesce(field, ''), classification, currency);
CREATE INDEX agg_funding_empty ON agg_funding ((1)) WHERE records = 0;

CREATE TABLE agg_project_countries (
  project_id     bigint NOT NULL,
  region_id      bigint,
  year           integer,
  classification text NOT NULL,
  -- NULL: participations whose country is unknown (the network skips them).
  country_iso3   text,
  parts          integer NOT NULL
);
CREATE UNIQUE INDEX agg_project_countries_key ON agg_project_countries (project_id, coalesce(country_iso3, ''));

CREATE TABLE agg_net_country (
  region_id      bigint,
  year           integer,
  classification text NOT NULL,
  country_iso3   text NOT NULL,
  projects       bigint NOT NULL,
  parts          bigint NOT NULL
);
CREATE UNIQUE INDEX agg_net_country_key ON agg_net_country (coalesce(region_id, 0), coalesce(year, 0), classification, country_iso3);
CREATE INDEX agg_net_country_empty ON agg_net_country ((1)) WHERE projects = 0;

CREATE TABLE agg_net_pair (
  region_id      bigint,
  year           integer,
  classification text NOT NULL,
  a              text NOT NULL,
  b              text NOT NULL,
  -- Projects the two countries share, and Σ over them of (participations of a × of b).
  projects       bigint NOT NULL,
  weight         bigint NOT NULL
);
CREATE UNIQUE INDEX agg_net_pair_key ON agg_net_pair (coalesce(region_id, 0), coalesce(year, 0), classification, a, b);
CREATE INDEX agg_net_pair_empty ON agg_net_pair ((1)) WHERE projects = 0;

CREATE TABLE agg_net_cell (
  region_id      bigint,
  year           integer,
  classification text NOT NULL,
  -- Projects with at least one participation of a known country; participations of none.
  projects       bigint NOT NULL,
  skipped        bigint NOT NULL
);
CREATE UNIQUE INDEX agg_net_cell_key ON agg_net_cell (coalesce(region_id, 0), coalesce(year, 0), classification);
CREATE INDEX agg_net_cell_empty ON agg_net_cell ((1)) WHERE projects = 0 AND skipped = 0;

-- ---------------------------------------------------------------- funding

CREATE FUNCTION agg_funding_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO agg_funding AS a (line_region_id, region_id, year, country_iso3, field, classification, currency, amount, records)
  SELECT n.region_id, coalesce(n.region_id, p.region_id), n.year, n.country_iso3, p.field, n.classification, n.currency,
         sum(n.amount_wan), count(*)
    FROM agg_new n LEFT JOIN LATERAL (SELECT x.id, x.region_id, x.field FROM projects x WHERE x.id = n.project_id OFFSET 0) p ON true
   GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ((coalesce(line_region_id, 0)), (coalesce(region_id, 0)), year, (coalesce(country_iso3, '')), (coalesce(field, '')), classification, currency)
  DO UPDATE SET amount = a.amount + EXCLUDED.amount, records = a.records + EXCLUDED.records;
  RETURN NULL;
END $$;

CREATE FUNCTION agg_funding_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Lines deleted with their project were subtracted before the project went (agg_project_deleting).
  INSERT INTO agg_funding AS a (line_region_id, region_id, year, country_iso3, field, classification, currency, amount, records)
  SELECT o.region_id, coalesce(o.region_id, p.region_id), o.year, o.country_iso3, p.field, o.classification, o.currency,
         -sum(o.amount_wan), -count(*)
    FROM agg_old o LEFT JOIN LATERAL (SELECT x.id, x.region_id, x.field FROM projects x WHERE x.id = o.project_id OFFSET 0) p ON true
   WHERE o.project_id IS NULL OR p.id IS NOT NULL
   GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ((coalesce(line_region_id, 0)), (coalesce(region_id, 0)), year, (coalesce(country_iso3, '')), (coalesce(field, '')), classification, currency)
  DO UPDATE SET amount = a.amount + EXCLUDED.amount, records = a.records + EXCLUDED.records;
  DELETE FROM agg_funding WHERE records = 0;
  RETURN NULL;
END $$;

CREATE FUNCTION agg_funding_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO agg_funding AS a (line_region_id, region_id, year, country_iso3, field, classification, currency, amount, records)
  SELECT line_region_id, region_id, year, country_iso3, field, classification, currency, sum(amount), sum(records)
    FROM (SELECT o.region_id AS line_region_id, coalesce(o.region_id, p.region_id) AS region_id, o.year, o.country_iso3, p.field,
                 o.classification, o.currency, -o.amount_wan AS amount, -1 AS records
            FROM agg_old o LEFT JOIN LATERAL (SELECT x.id, x.region_id, x.field FROM projects x WHERE x.id = o.project_id OFFSET 0) p ON true
          UNION ALL
          SELECT n.region_id, coalesce(n.region_id, p.region_id), n.year, n.country_iso3, p.field,
                 n.classification, n.currency, n.amount_wan, 1
            FROM agg_new n LEFT JOIN LATERAL (SELECT x.id, x.region_id, x.field FROM projects x WHERE x.id = n.project_id OFFSET 0) p ON true) d
   GROUP BY 1, 2, 3, 4, 5, 6, 7
  HAVING sum(records) <> 0 OR sum(amount) <> 0
  ON CONFLICT ((coalesce(line_region_id, 0)), (coalesce(region_id, 0)), year, (coalesce(country_iso3, '')), (coalesce(field, '')), classification, currency)
  DO UPDATE SET amount = a.amount + EXCLUDED.amount, records = a.records + EXCLUDED.records;
  DELETE FROM agg_funding WHERE records = 0;
  RETURN NULL;
END $$;

CREATE TRIGGER agg_funding_ins AFTER INSERT ON funding REFERENCING NEW TABLE AS agg_new
  FOR EACH STATEMENT EXECUTE FUNCTION agg_funding_inserted();
CREATE TRIGGER agg_funding_del AFTER DELETE ON funding REFERENCING OLD TABLE AS agg_old
  FOR EACH STATEMENT EXECUTE FUNCTION agg_funding_deleted();
CREATE TRIGGER agg_funding_upd AFTER UPDATE ON funding REFERENCING OLD TABLE AS agg_old NEW TABLE AS agg_new
  FOR EACH STATEMENT EXECUTE FUNCTION agg_funding_updated();

-- ---------------------------------------------------------------- network by country

-- Recomputes the snapshot of these projects from the tables and adds the difference to the
-- sums: one statement, whose parts share the old and the new snapshot. Projects whose
-- participations did not change touch no sum; gone projects are removed.
CREATE FUNCTION agg_net_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
  -- Index probes per project: the LATERAL subqueries (kept apart by OFFSET 0) make each look-up
  -- an index probe, whatever the statistics of tables that grow during an import say; a scan
  -- per statement would make a large import quadratic.
  WITH old AS MATERIALIZED (
    SELECT c.* FROM unnest(ids) AS k(id)
      CROSS JOIN LATERAL (SELECT x.ctid AS row_id, x.* FROM agg_project_countries x WHERE x.project_id = k.id OFFSET 0) c),
  sel AS MATERIALIZED (
    SELECT p.id, p.lead_org_id, p.region_id, extract(year FROM p.start_date)::int AS year, p.classification
      FROM unnest(ids) AS k(id)
      CROSS JOIN LATERAL (SELECT x.id, x.lead_org_id, x.region_id, x.start_date, x.classification FROM projects x WHERE x.id = k.id OFFSET 0) p),
  -- The participations of analytics.repo.ts `participations` with the lead side and China as home.
  parts AS (
    SELECT sel.id AS project_id, coalesce('o' || pp.org_id, 'r' || pp.id) AS part_key,
           coalesce(pp.country_iso3, o.country_iso3, CASE WHEN o.domestic THEN 'CHN' END) AS iso3
      FROM sel
      CROSS JOIN LATERAL (SELECT x.id, x.org_id, x.country_iso3 FROM project_partners x WHERE x.project_id = sel.id OFFSET 0) pp
      LEFT JOIN LATERAL (SELECT y.country_iso3, y.domestic FROM organizations y WHERE y.id = pp.org_id OFFSET 0) o ON true
    UNION ALL
    SELECT sel.id, 'o' || sel.lead_org_id, coalesce(o.country_iso3, CASE WHEN o.domestic THEN 'CHN' END)
      FROM sel CROSS JOIN LATERAL (SELECT y.country_iso3, y.domestic FROM organizations y WHERE y.id = sel.lead_org_id OFFSET 0) o
    UNION ALL
    SELECT sel.id, 'home', 'CHN'
      FROM sel
     WHERE sel.lead_org_id IS NULL AND sel.region_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM project_partners x WHERE x.project_id = sel.id AND x.role IN ('lead', 'coordinator'))),
  new AS MATERIALIZED (
    SELECT sel.id AS project_id, sel.region_id, sel.year, sel.classification, q.iso3 AS country_iso3, q.n::int AS parts
      FROM (SELECT project_id, iso3, CASE WHEN iso3 IS NULL THEN count(*) ELSE count(DISTINCT part_key) END AS n
              FROM parts GROUP BY project_id, iso3) q
      JOIN sel ON sel.id = q.project_id),
  d AS MATERIALIZED (
    SELECT project_id, region_id, year, classification, country_iso3, parts, -1 AS sign FROM old
    UNION ALL
    SELECT project_id, region_id, year, classification, country_iso3, parts, 1 FROM new),
  kept AS (
    INSERT INTO agg_project_countries AS t (project_id, region_id, year, classification, country_iso3, parts)
    SELECT * FROM new
    ON CONFLICT (project_id, (coalesce(country_iso3, '')))
    DO UPDATE SET region_id = EXCLUDED.region_id, year = EXCLUDED.year, classification = EXCLUDED.classification, parts = EXCLUDED.parts
     WHERE (t.region_id, t.year, t.classification, t.parts) IS DISTINCT FROM (EXCLUDED.region_id, EXCLUDED.year, EXCLUDED.classification, EXCLUDED.parts)),
  dropped AS (
    DELETE FROM agg_project_countries
     WHERE ctid = ANY(ARRAY(SELECT o.row_id FROM old o
                             WHERE NOT EXISTS (SELECT 1 FROM new n WHERE n.project_id = o.project_id
                                                  AND n.country_iso3 IS NOT DISTINCT FROM o.country_iso3)))),
  countries AS (
    INSERT INTO agg_net_country AS a (region_id, year, classification, country_iso3, projects, parts)
    SELECT region_id, year, classification, country_iso3, sum(sign), sum(sign * parts)
      FROM d WHERE country_iso3 IS NOT NULL
     GROUP BY 1, 2, 3, 4
    HAVING sum(sign) <> 0 OR sum(sign * parts) <> 0
    ON CONFLICT ((coalesce(region_id, 0)), (coalesce(year, 0)), classification, country_iso3)
    DO UPDATE SET projects = a.projects + EXCLUDED.projects, parts = a.parts + EXCLUDED.parts),
  pairs AS (
    INSERT INTO agg_net_pair AS a (region_id, year, classification, a, b, projects, weight)
    SELECT x.region_id, x.year, x.classification, x.country_iso3, y.country_iso3, sum(x.sign), sum(x.sign * x.parts::bigint * y.parts)
      FROM d x JOIN d y ON y.project_id = x.project_id AND y.sign = x.sign AND y.country_iso3 > x.country_iso3
     GROUP BY 1, 2, 3, 4, 5
    HAVING sum(x.sign) <> 0 OR sum(x.sign * x.parts::bigint * y.parts) <> 0
    ON CONFLICT ((coalesce(region_id, 0)), (coalesce(year, 0)), classification, a, b)
    DO UPDATE SET projects = a.projects + EXCLUDED.projects, weight = a.weight + EXCLUDED.weight)
  INSERT INTO agg_net_cell AS a (region_id, year, classification, projects, skipped)
  SELECT region_id, year, classification, sum(sign * has_country), sum(sign * skipped)
    FROM (SELECT region_id, year, classification, project_id, sign,
                 max(CASE WHEN country_iso3 IS NOT NULL THEN 1 ELSE 0 END) AS has_country,
                 coalesce(sum(parts) FILTER (WHERE country_iso3 IS NULL), 0) AS skipped
            FROM d GROUP BY 1, 2, 3, 4, 5) per_project
   GROUP BY 1, 2, 3
  HAVING sum(sign * has_country) <> 0 OR sum(sign * skipped) <> 0
  ON CONFLICT ((coalesce(region_id, 0)), (coalesce(year, 0)), classification)
  DO UPDATE SET projects = a.projects + EXCLUDED.projects, skipped = a.skipped + EXCLUDED.skipped;

  DELETE FROM agg_net_country WHERE projects = 0;
  DELETE FROM agg_net_pair WHERE projects = 0;
  DELETE FROM agg_net_cell WHERE projects = 0 AND skipped = 0;
$$;

CREATE FUNCTION agg_partners_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agg_net_refresh(ARRAY(SELECT DISTINCT project_id FROM agg_new));
  RETURN NULL;
END $$;
CREATE FUNCTION agg_partners_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agg_net_refresh(ARRAY(SELECT DISTINCT project_id FROM agg_old));
  RETURN NULL;
END $$;
CREATE FUNCTION agg_partners_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agg_net_refresh(ARRAY(SELECT project_id FROM agg_old UNION SELECT project_id FROM agg_new));
  RETURN NULL;
END $$;
CREATE TRIGGER agg_partners_ins AFTER INSERT ON project_partners REFERENCING NEW TABLE AS agg_new
  FOR EACH STATEMENT EXECUTE FUNCTION agg_partners_inserted();
CREATE TRIGGER agg_partners_del AFTER DELETE ON project_partners REFERENCING OLD TABLE AS agg_old
  FOR EACH STATEMENT EXECUTE FUNCTION agg_partners_deleted();
CREATE TRIGGER agg_partners_upd AFTER UPDATE ON project_partners REFERENCING OLD TABLE AS agg_old NEW TABLE AS agg_new
  FOR EACH STATEMENT EXECUTE FUNCTION agg_partners_updated();

-- ---------------------------------------------------------------- projects and organisations

CREATE FUNCTION agg_projects_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agg_net_refresh(ARRAY(SELECT id FROM agg_new));
  RETURN NULL;
END $$;

CREATE FUNCTION agg_projects_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Funding lines of projects whose region or field changed move with them.
  WITH c AS (
    SELECT o.id, o.region_id AS old_region, n.region_id AS new_region, o.field AS old_field, n.field AS new_field
      FROM agg_old o JOIN agg_new n ON n.id = o.id
     WHERE o.region_id IS DISTINCT FROM n.region_id OR o.field IS DISTINCT FROM n.field)
  INSERT INTO agg_funding AS a (line_region_id, region_id, year, country_iso3, field, classification, currency, amount, records)
  SELECT line_region_id, region_id, year, country_iso3, field, classification, currency, sum(amount), sum(records)
    FROM (SELECT f.region_id AS line_region_id, coalesce(f.region_id, c.old_region) AS region_id, f.year, f.country_iso3,
                 c.old_field AS field, f.classification, f.currency, -f.amount_wan AS amount, -1 AS records
            FROM c CROSS JOIN LATERAL (SELECT * FROM funding x WHERE x.project_id = c.id OFFSET 0) f
          UNION ALL
          SELECT f.region_id, coalesce(f.region_id, c.new_region), f.year, f.country_iso3,
                 c.new_field, f.classification, f.currency, f.amount_wan, 1
            FROM c CROSS JOIN LATERAL (SELECT * FROM funding x WHERE x.project_id = c.id OFFSET 0) f) d
   GROUP BY 1, 2, 3, 4, 5, 6, 7
  HAVING sum(records) <> 0 OR sum(amount) <> 0
  ON CONFLICT ((coalesce(line_region_id, 0)), (coalesce(region_id, 0)), year, (coalesce(country_iso3, '')), (coalesce(field, '')), classification, currency)
  DO UPDATE SET amount = a.amount + EXCLUDED.amount, records = a.records + EXCLUDED.records;
  DELETE FROM agg_funding WHERE records = 0;
  PERFORM agg_net_refresh(ARRAY(
    SELECT o.id FROM agg_old o JOIN agg_new n ON n.id = o.id
     WHERE o.region_id IS DISTINCT FROM n.region_id OR o.start_date IS DISTINCT FROM n.start_date
        OR o.classification IS DISTINCT FROM n.classification OR o.lead_org_id IS DISTINCT FROM n.lead_org_id));
  RETURN NULL;
END $$;

CREATE FUNCTION agg_projects_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agg_net_refresh(ARRAY(SELECT id FROM agg_old));
  RETURN NULL;
END $$;

-- Before a project goes, its funding lines are subtracted with its region and field (the
-- cascaded deletion of the lines finds no project and leaves them to this).
CREATE FUNCTION agg_project_deleting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO agg_funding AS a (line_region_id, region_id, year, country_iso3, field, classification, currency, amount, records)
  SELECT f.region_id, coalesce(f.region_id, OLD.region_id), f.year, f.country_iso3, OLD.field, f.classification, f.currency,
         -sum(f.amount_wan), -count(*)
    FROM funding f WHERE f.project_id = OLD.id
   GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ((coalesce(line_region_id, 0)), (coalesce(region_id, 0)), year, (coalesce(country_iso3, '')), (coalesce(field, '')), classification, currency)
  DO UPDATE SET amount = a.amount + EXCLUDED.amount, records = a.records + EXCLUDED.records;
  IF FOUND THEN
    DELETE FROM agg_funding WHERE records = 0;
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER agg_projects_ins AFTER INSERT ON projects REFERENCING NEW TABLE AS agg_new
  FOR EACH STATEMENT EXECUTE FUNCTION agg_projects_inserted();
CREATE TRIGGER agg_projects_upd AFTER UPDATE ON projects REFERENCING OLD TABLE AS agg_old NEW TABLE AS agg_new
  FOR EACH STATEMENT EXECUTE FUNCTION agg_projects_updated();
CREATE TRIGGER agg_projects_del AFTER DELETE ON projects REFERENCING OLD TABLE AS agg_old
  FOR EACH STATEMENT EXECUTE FUNCTION agg_projects_deleted();
CREATE TRIGGER agg_project_deleting BEFORE DELETE ON projects
  FOR EACH ROW EXECUTE FUNCTION agg_project_deleting();

-- An organisation's country (or whether it is domestic) decides the country of its participations.
CREATE FUNCTION agg_organizations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved bigint[];
BEGIN
  moved := ARRAY(SELECT o.id FROM agg_old o JOIN agg_new n ON n.id = o.id
                  WHERE o.country_iso3 IS DISTINCT FROM n.country_iso3 OR o.domestic IS DISTINCT FROM n.domestic);
  IF cardinality(moved) > 0 THEN
    PERFORM agg_net_refresh(ARRAY(
      SELECT x.project_id FROM unnest(moved) AS k(id) CROSS JOIN LATERAL (SELECT project_id FROM project_partners WHERE org_id = k.id OFFSET 0) x
      UNION SELECT x.id FROM unnest(moved) AS k(id) CROSS JOIN LATERAL (SELECT id FROM projects WHERE lead_org_id = k.id OFFSET 0) x));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER agg_organizations_upd AFTER UPDATE ON organizations REFERENCING OLD TABLE AS agg_old NEW TABLE AS agg_new
  FOR EACH STATEMENT EXECUTE FUNCTION agg_organizations_updated();

-- ---------------------------------------------------------------- data quality

-- Organisations with close names (the data-quality view's likely duplicates): trigram look-ups.
CREATE INDEX organizations_name_key_trgm ON organizations USING gin (name_key gin_trgm_ops);

-- ---------------------------------------------------------------- rebuild

-- Recomputes every aggregate from the tables.
CREATE FUNCTION agg_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM agg_funding;
  INSERT INTO agg_funding (line_region_id, region_id, year, country_iso3, field, classification, currency, amount, records)
  SELECT f.region_id, coalesce(f.region_id, p.region_id), f.year, f.country_iso3, p.field, f.classification, f.currency,
         sum(f.amount_wan), count(*)
    FROM funding f LEFT JOIN projects p ON p.id = f.project_id
   GROUP BY 1, 2, 3, 4, 5, 6, 7;
  DELETE FROM agg_project_countries;
  DELETE FROM agg_net_country;
  DELETE FROM agg_net_pair;
  DELETE FROM agg_net_cell;
  PERFORM agg_net_refresh(ARRAY(SELECT id FROM projects));
END $$;

SELECT agg_rebuild();
