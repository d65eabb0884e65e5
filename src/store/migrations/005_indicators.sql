-- Indicator systems and evaluation (指标体系与评价, issue 5): frameworks with immutable versions
-- (the tree of index → dimensions → indicators), data sets (unit × indicator values with the file
-- they came from), and evaluation runs with everything needed to reproduce them: the framework
-- version, the data set, the resolved method choices, the seed, the engine version and a hash of
-- the data, plus the published figures (score, rank, dimension scores, rank intervals).
-- JSON columns are `json`, not `jsonb`: weights and dimensions keep the order they were written in.

CREATE TABLE indicator_frameworks (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Stable short name used by the CLI and the built-in templates (e.g. coinr-asem).
  key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
  name        text NOT NULL CHECK (btrim(name) <> ''),
  name_en     text,
  description text,
  -- Shipped with innolink (an editable template); editing it adds versions like any other.
  builtin     boolean NOT NULL DEFAULT false,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A version is never changed once written: editing a framework adds a version, so a run always
-- points at the exact tree it was computed on.
CREATE TABLE indicator_framework_versions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  framework_id    bigint NOT NULL REFERENCES indicator_frameworks (id) ON DELETE CASCADE,
  version         integer NOT NULL CHECK (version > 0),
  -- A free label, e.g. the source's own version (COINr-ASEM-1.1.14).
  label           text,
  note            text,
  -- Method settings that suit this framework (e.g. goalposts), applied unless a run overrides them.
  default_methods json,
  source_file     text,
  source_format   text NOT NULL CHECK (source_format IN ('csv', 'xlsx', 'yaml', 'json', 'api')),
  created_by      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (framework_id, version)
);

CREATE TABLE indicator_nodes (
  version_id  bigint NOT NULL REFERENCES indicator_framework_versions (id) ON DELETE CASCADE,
  -- Input order (the engine keeps it for columns and children).
  position    integer NOT NULL,
  code        text NOT NULL CHECK (btrim(code) <> ''),
  name        text,
  name_en     text,
  type        text NOT NULL CHECK (type IN ('indicator', 'aggregate', 'group', 'denominator', 'other')),
  level       integer CHECK (level > 0),
  parent      text,
  direction   smallint NOT NULL DEFAULT 1 CHECK (direction IN (-1, 1)),
  weight      double precision NOT NULL DEFAULT 1 CHECK (weight >= 0),
  unit        text,
  source      text,
  target      double precision,
  denominator text,
  PRIMARY KEY (version_id, code),
  UNIQUE (version_id, position)
);

CREATE TABLE indicator_datasets (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  framework_id  bigint NOT NULL REFERENCES indicator_frameworks (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (btrim(name) <> ''),
  description   text,
  -- The import the values came from: file name and format, or 'api' for rows sent as JSON.
  source_file   text,
  source_format text NOT NULL CHECK (source_format IN ('csv', 'xlsx', 'json', 'api')),
  -- Numeric columns (indicators, denominators) and group columns, in file order.
  columns       text[] NOT NULL,
  group_columns text[] NOT NULL DEFAULT '{}',
  unit_count    integer NOT NULL,
  panel         boolean NOT NULL DEFAULT false,
  created_by    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (framework_id, name)
);

CREATE TABLE indicator_dataset_units (
  dataset_id bigint NOT NULL REFERENCES indicator_datasets (id) ON DELETE CASCADE,
  -- Row of the data table (file order).
  position   integer NOT NULL,
  code       text NOT NULL CHECK (btrim(code) <> ''),
  name       text,
  time       double precision,
  -- Group column → value (e.g. {"EurAsia_group": "Europe"}).
  groups     json NOT NULL DEFAULT '{}',
  PRIMARY KEY (dataset_id, position)
);

-- Only present values are stored; an absent (dataset, row, column) is a missing value.
-- double precision keeps every imported number bit for bit, so a stored data set hashes the same
-- as the file it came from.
CREATE TABLE indicator_values (
  dataset_id bigint NOT NULL,
  position   integer NOT NULL,
  code       text NOT NULL,
  value      double precision NOT NULL,
  PRIMARY KEY (dataset_id, position, code),
  FOREIGN KEY (dataset_id, position) REFERENCES indicator_dataset_units (dataset_id, position) ON DELETE CASCADE
);

CREATE TABLE indicator_runs (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  framework_id   bigint NOT NULL REFERENCES indicator_frameworks (id) ON DELETE CASCADE,
  version_id     bigint NOT NULL REFERENCES indicator_framework_versions (id) ON DELETE CASCADE,
  -- A data set that published figures rest on cannot be deleted while the run exists.
  dataset_id     bigint NOT NULL REFERENCES indicator_datasets (id) ON DELETE RESTRICT,
  label          text,
  -- The options as the evaluator gave them, and the engine's fully resolved method choices.
  request        json NOT NULL,
  methods        json NOT NULL,
  seed           bigint NOT NULL,
  engine_version text NOT NULL,
  -- SHA-256 of the data table the engine received (see engine/run.ts hashData).
  data_hash      text NOT NULL,
  units_in       integer NOT NULL,
  units_out      integer NOT NULL,
  replications   integer,
  weights        json NOT NULL,
  node_weights   json NOT NULL,
  -- Warnings and every step's diagnostics, uncertainty summary and leave-one-out included.
  diagnostics    json NOT NULL,
  duration_ms    integer,
  created_by     text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX indicator_runs_framework ON indicator_runs (framework_id, created_at DESC);

CREATE TABLE indicator_run_results (
  run_id      bigint NOT NULL REFERENCES indicator_runs (id) ON DELETE CASCADE,
  position    integer NOT NULL,
  unit        text NOT NULL,
  name        text,
  score       double precision,
  rank        integer,
  median_rank integer,
  rank_lo     integer,
  rank_hi     integer,
  -- Dimension (aggregate) code → {score, rank}.
  dimensions  json NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, unit),
  UNIQUE (run_id, position)
);
