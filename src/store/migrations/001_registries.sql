-- Registries: reference data (countries, administrative regions), organisations, projects and
-- their partners, funding, platforms, talents, mechanisms, outputs, stated figures (facts),
-- and the import log that makes every import undoable.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE imports (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind          text NOT NULL,
  file_name     text NOT NULL,
  file_hash     char(64) NOT NULL,
  file_size     bigint NOT NULL,
  actor         text NOT NULL,
  region_context text,
  options       jsonb NOT NULL DEFAULT '{}',
  status        text NOT NULL CHECK (status IN ('running', 'done', 'failed', 'undone')),
  rows_read     integer NOT NULL DEFAULT 0,
  rows_imported integer NOT NULL DEFAULT 0,
  rows_rejected integer NOT NULL DEFAULT 0,
  issue_count   integer NOT NULL DEFAULT 0,
  issues        jsonb NOT NULL DEFAULT '[]',
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  undone_at     timestamptz,
  undone_by     text
);
CREATE INDEX imports_hash ON imports (file_hash, kind);

-- Before-images of rows an import updated (rows it inserted carry its id in import_id).
CREATE TABLE import_changes (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  import_id  bigint NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  table_name text NOT NULL,
  record_key text NOT NULL,
  before     jsonb NOT NULL
);
CREATE INDEX import_changes_import ON import_changes (import_id);

CREATE TABLE countries (
  iso3           text PRIMARY KEY,
  iso2           char(2) NOT NULL UNIQUE,
  numeric_code   text,
  name_zh        text NOT NULL,
  name_en        text NOT NULL,
  kind           text NOT NULL DEFAULT 'country' CHECK (kind IN ('country', 'region')),
  sovereign_iso3 text REFERENCES countries (iso3),
  note           text,
  search         tsvector,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX countries_search ON countries USING gin (search);

CREATE TABLE country_aliases (
  alias_key text PRIMARY KEY,
  alias     text NOT NULL,
  iso3      text NOT NULL REFERENCES countries (iso3) ON DELETE CASCADE,
  lang      text,
  source    text NOT NULL DEFAULT 'builtin'
);
CREATE INDEX country_aliases_iso3 ON country_aliases (iso3);

CREATE TABLE country_groups (
  code        text PRIMARY KEY,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  description text
);

CREATE TABLE country_group_members (
  group_code text NOT NULL REFERENCES country_groups (code) ON DELETE CASCADE,
  iso3       text NOT NULL REFERENCES countries (iso3) ON DELETE CASCADE,
  since      date,
  source     text,
  import_id  bigint REFERENCES imports (id),
  PRIMARY KEY (group_code, iso3)
);
CREATE INDEX country_group_members_iso3 ON country_group_members (iso3);

CREATE TABLE country_indicators (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  iso3       text NOT NULL REFERENCES countries (iso3) ON DELETE CASCADE,
  indicator  text NOT NULL,
  year       integer NOT NULL,
  value_num  numeric,
  value_text text,
  unit       text,
  source     text,
  import_id  bigint REFERENCES imports (id),
  UNIQUE (iso3, indicator, year)
);

CREATE TABLE admin_regions (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code       text UNIQUE,
  name       text NOT NULL,
  short_name text NOT NULL,
  name_en    text,
  level      text NOT NULL CHECK (level IN ('province', 'city', 'district', 'unit')),
  kind       text NOT NULL DEFAULT 'district'
             CHECK (kind IN ('province', 'city', 'district', 'county', 'county_city', 'park', 'city_direct', 'former_district', 'other')),
  parent_id  bigint REFERENCES admin_regions (id),
  path       text NOT NULL DEFAULT '',
  note       text,
  import_id  bigint REFERENCES imports (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX admin_regions_parent_name ON admin_regions (coalesce(parent_id, 0), name);
CREATE INDEX admin_regions_short ON admin_regions (short_name);
CREATE INDEX admin_regions_path ON admin_regions (path text_pattern_ops);

CREATE TABLE organizations (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name_zh        text,
  name_en        text,
  name_key       text NOT NULL,
  domestic       boolean NOT NULL,
  type           text NOT NULL DEFAULT 'other'
                 CHECK (type IN ('enterprise', 'university', 'institute', 'government', 'intermediary', 'hospital', 'other')),
  ownership      text CHECK (ownership IN ('state', 'private', 'foreign', 'joint', 'public', 'other')),
  region_id      bigint REFERENCES admin_regions (id),
  country_iso3   text REFERENCES countries (iso3),
  uscc           text UNIQUE,
  ror            text UNIQUE,
  pic            text UNIQUE,
  website        text,
  note           text,
  classification text NOT NULL DEFAULT 'internal' CHECK (classification IN ('public', 'internal', 'restricted')),
  search         tsvector,
  import_id      bigint REFERENCES imports (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (name_zh IS NOT NULL OR name_en IS NOT NULL)
);
CREATE UNIQUE INDEX organizations_name_country ON organizations (name_key, coalesce(country_iso3, ''));
CREATE INDEX organizations_search ON organizations USING gin (search);
CREATE INDEX organizations_region ON organizations (region_id);
CREATE INDEX organizations_country ON organizations (country_iso3);

CREATE TABLE projects (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  title_zh       text,
  title_en       text,
  level          text CHECK (level IN ('national', 'provincial', 'municipal', 'district', 'other')),
  programme      text,
  lead_org_id    bigint REFERENCES organizations (id),
  region_id      bigint REFERENCES admin_regions (id),
  industry       text,
  field          text,
  mode           text,
  start_date     date,
  end_date       date,
  status         text NOT NULL DEFAULT 'unknown'
                 CHECK (status IN ('applied', 'approved', 'active', 'completed', 'accepted', 'terminated', 'unknown')),
  summary        text,
  keywords       text,
  classification text NOT NULL DEFAULT 'internal' CHECK (classification IN ('public', 'internal', 'restricted')),
  search         tsvector,
  import_id      bigint REFERENCES imports (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (title_zh IS NOT NULL OR title_en IS NOT NULL),
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX projects_search ON projects USING gin (search);
CREATE INDEX projects_region ON projects (region_id);
CREATE INDEX projects_lead ON projects (lead_org_id);

CREATE TABLE project_partners (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project_id   bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  org_id       bigint REFERENCES organizations (id),
  country_iso3 text REFERENCES countries (iso3),
  role         text NOT NULL DEFAULT 'partner'
               CHECK (role IN ('lead', 'coordinator', 'partner', 'participant', 'third_party', 'other')),
  contribution numeric(20, 4),
  currency     text,
  import_id    bigint REFERENCES imports (id),
  CHECK (org_id IS NOT NULL OR country_iso3 IS NOT NULL)
);
CREATE UNIQUE INDEX project_partners_unique ON project_partners (project_id, coalesce(org_id, 0), coalesce(country_iso3, ''), role);
CREATE INDEX project_partners_org ON project_partners (org_id);
CREATE INDEX project_partners_country ON project_partners (country_iso3);

CREATE TABLE funding (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project_id     bigint REFERENCES projects (id) ON DELETE CASCADE,
  region_id      bigint REFERENCES admin_regions (id),
  year           integer NOT NULL CHECK (year BETWEEN 1900 AND 2200),
  level          text CHECK (level IN ('national', 'provincial', 'municipal', 'district', 'other')),
  source         text,
  country_iso3   text REFERENCES countries (iso3),
  amount         numeric(20, 4) NOT NULL CHECK (amount >= 0),
  currency       text NOT NULL DEFAULT 'CNY',
  unit           text NOT NULL DEFAULT '万元' CHECK (unit IN ('元', '万元', '亿元')),
  -- The amount in 万元 of its currency, so that records kept in different units sum correctly.
  amount_wan     numeric(24, 6) GENERATED ALWAYS AS (
                   CASE unit WHEN '元' THEN amount / 10000 WHEN '亿元' THEN amount * 10000 ELSE amount END) STORED,
  note           text,
  classification text NOT NULL DEFAULT 'internal' CHECK (classification IN ('public', 'internal', 'restricted')),
  import_id      bigint REFERENCES imports (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
-- One funding line per project, region, year, level, source, country and currency: re-imports
-- update it instead of adding it twice.
CREATE UNIQUE INDEX funding_line ON funding (coalesce(project_id, 0), coalesce(region_id, 0), year, coalesce(level, ''),
  coalesce(source, ''), coalesce(country_iso3, ''), currency);
CREATE INDEX funding_project ON funding (project_id);
CREATE INDEX funding_region_year ON funding (region_id, year);
CREATE INDEX funding_country ON funding (country_iso3);

CREATE TABLE platforms (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name_zh          text,
  name_en          text,
  name_key         text NOT NULL,
  kind             text NOT NULL DEFAULT 'other'
                   CHECK (kind IN ('intl_base', 'joint_lab', 'intl_park', 'tech_transfer', 'overseas_center', 'incubator', 'foreign_rd_center', 'other')),
  level            text CHECK (level IN ('national', 'provincial', 'municipal', 'district', 'other')),
  region_id        bigint REFERENCES admin_regions (id),
  country_iso3     text REFERENCES countries (iso3),
  host_org_id      bigint REFERENCES organizations (id),
  established_year integer CHECK (established_year BETWEEN 1900 AND 2200),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('planned', 'active', 'suspended', 'closed')),
  note             text,
  classification   text NOT NULL DEFAULT 'internal' CHECK (classification IN ('public', 'internal', 'restricted')),
  search           tsvector,
  import_id        bigint REFERENCES imports (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (name_zh IS NOT NULL OR name_en IS NOT NULL)
);
CREATE UNIQUE INDEX platforms_name ON platforms (name_key, coalesce(country_iso3, ''));
CREATE INDEX platforms_search ON platforms USING gin (search);

CREATE TABLE talents (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name               text NOT NULL,
  name_en            text,
  name_key           text NOT NULL,
  category           text NOT NULL DEFAULT 'expert'
                     CHECK (category IN ('expert', 'high_level', 'foreign_expert', 'returnee', 'young', 'other')),
  gender             text CHECK (gender IN ('female', 'male', 'other')),
  birth_year         integer CHECK (birth_year BETWEEN 1900 AND 2100),
  nationality_iso3   text REFERENCES countries (iso3),
  affiliation_org_id bigint REFERENCES organizations (id),
  affiliation        text,
  title              text,
  fields             text,
  languages          text,
  email              text,
  phone              text,
  consent            boolean NOT NULL DEFAULT false,
  region_id          bigint REFERENCES admin_regions (id),
  note               text,
  classification     text NOT NULL DEFAULT 'internal' CHECK (classification IN ('public', 'internal', 'restricted')),
  search             tsvector,
  import_id          bigint REFERENCES imports (id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX talents_key ON talents (name_key, coalesce(affiliation, ''));
CREATE INDEX talents_search ON talents USING gin (search);

CREATE TABLE mechanisms (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name_zh        text,
  name_en        text,
  name_key       text NOT NULL,
  kind           text NOT NULL DEFAULT 'other'
                 CHECK (kind IN ('intergovernmental', 'joint_funding', 'sister_park', 'sister_city', 'mou', 'other')),
  region_id      bigint REFERENCES admin_regions (id),
  country_iso3   text REFERENCES countries (iso3),
  partner        text,
  signed_date    date,
  expires_date   date,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('negotiating', 'active', 'expired', 'terminated')),
  note           text,
  classification text NOT NULL DEFAULT 'internal' CHECK (classification IN ('public', 'internal', 'restricted')),
  search         tsvector,
  import_id      bigint REFERENCES imports (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (name_zh IS NOT NULL OR name_en IS NOT NULL)
);
CREATE UNIQUE INDEX mechanisms_name ON mechanisms (name_key, coalesce(country_iso3, ''));
CREATE INDEX mechanisms_search ON mechanisms USING gin (search);

CREATE TABLE outputs (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project_id     bigint REFERENCES projects (id) ON DELETE CASCADE,
  kind           text NOT NULL
                 CHECK (kind IN ('patent', 'pct_patent', 'paper', 'standard', 'product', 'technology_transfer', 'talent_trained', 'revenue', 'other')),
  title          text NOT NULL,
  title_key      text NOT NULL,
  identifier     text,
  year           integer CHECK (year BETWEEN 1900 AND 2200),
  quantity       numeric(20, 4) NOT NULL DEFAULT 1 CHECK (quantity >= 0),
  value          numeric(20, 4),
  unit           text,
  evidence       text,
  note           text,
  classification text NOT NULL DEFAULT 'internal' CHECK (classification IN ('public', 'internal', 'restricted')),
  search         tsvector,
  import_id      bigint REFERENCES imports (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX outputs_key ON outputs (coalesce(project_id, 0), kind, title_key);
CREATE INDEX outputs_search ON outputs USING gin (search);

-- Figures stated in documents and summary tables, kept as stated and checked against the data.
CREATE TABLE facts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject      text NOT NULL,
  region_id    bigint REFERENCES admin_regions (id),
  country_iso3 text REFERENCES countries (iso3),
  indicator    text NOT NULL,
  year         integer,
  period_from  integer,
  period_to    integer,
  value        numeric,
  value_text   text,
  unit         text,
  note         text,
  source       text,
  import_id    bigint REFERENCES imports (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX facts_key ON facts (subject, indicator, coalesce(year, 0), coalesce(period_from, 0), coalesce(period_to, 0));
