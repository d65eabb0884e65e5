-- Awards: what a funded application committed to. The calls module (issue 15) writes these rows
-- in the transaction that funds an application and creates its project; the post-award module
-- (issue 16) reads them to pre-fill the project's task agreement (agreement_indicators,
-- agreement_budget). A project entered by hand or by import has none: its agreement starts empty.
-- Key indicators and budget categories / sources are the keys of src/modules/lifecycle/vocabulary.ts.

CREATE TABLE award_commitments (
  project_id     bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  application_id bigint,            -- the application funded (the calls module adds its foreign key)
  kind           text NOT NULL,     -- KEY_INDICATORS value, e.g. 'patent', 'revenue'
  target         numeric NOT NULL CHECK (target > 0),   -- in the kind's own unit
  unit           text NOT NULL,
  position       int NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, kind)
);

CREATE TABLE award_budget (
  project_id     bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  application_id bigint,
  source         text NOT NULL,     -- FUNDING_SOURCES value
  year           int NOT NULL CHECK (year BETWEEN 1990 AND 2100),
  category       text NOT NULL,     -- BUDGET_CATEGORIES value
  amount_wan     numeric NOT NULL CHECK (amount_wan >= 0),
  PRIMARY KEY (project_id, source, year, category)
);
