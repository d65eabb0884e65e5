-- Action-plan monitoring (行动计划监测): plans, their actions (行动), quantitative targets (目标)
-- with the values reported for them, tasks (任务) with responsible units (责任单位), and the
-- progress reports units submit on their tasks. Statuses, forecasts and supervision flags are
-- computed on read (src/modules/plans/engine) and never stored.

CREATE TABLE plans (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
  -- Scope of the plan: registry-linked targets count records in this region's subtree.
  region_id    bigint REFERENCES admin_regions (id),
  -- The plan period (e.g. 2024-01-01 … 2027-12-31): default start and due date of tasks.
  period_start date,
  period_end   date,
  -- The plan owner (牵头部门), who reviews progress reports.
  owner        text,
  -- Progress method, thresholds, forecast method and supervision delays (see plans.schema.ts).
  config       jsonb NOT NULL DEFAULT '{}',
  created_by   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start)
);

CREATE TABLE plan_actions (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id  bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  number   text NOT NULL,
  title    text NOT NULL,
  position integer NOT NULL DEFAULT 0,
  UNIQUE (plan_id, number)
);

CREATE TABLE plan_targets (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id        bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  action_id      bigint REFERENCES plan_actions (id) ON DELETE SET NULL,
  -- The goal area the target belongs to (目标领域).
  area           text,
  indicator      text NOT NULL,
  unit           text,
  baseline_value numeric,
  baseline_year  integer CHECK (baseline_year BETWEEN 1900 AND 2200),
  target_value   numeric,
  target_year    integer CHECK (target_year BETWEEN 1900 AND 2200),
  direction      text NOT NULL DEFAULT 'increase' CHECK (direction IN ('increase', 'decrease')),
  -- The sentence of the plan the target comes from (原文).
  source_text    text,
  -- Where the value comes from: reported values (plan_target_values) or a registry count.
  value_source   text NOT NULL DEFAULT 'reported' CHECK (value_source IN ('reported', 'registry')),
  -- For 'registry': a key of the measure map in src/modules/plans/plans.measures.ts.
  measure_key    text,
  position       integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (plan_id, indicator),
  CHECK ((value_source = 'registry') = (measure_key IS NOT NULL)),
  CHECK ((baseline_value IS NULL) = (baseline_year IS NULL))
);

CREATE TABLE plan_target_values (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  target_id  bigint NOT NULL REFERENCES plan_targets (id) ON DELETE CASCADE,
  -- A value for a year is stored at 31 December of that year (precision 'year').
  date       date NOT NULL,
  precision  text NOT NULL DEFAULT 'day' CHECK (precision IN ('day', 'year')),
  value      numeric NOT NULL,
  note       text,
  evidence   text,
  entered_by text,
  entered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_target_values_target ON plan_target_values (target_id, date);

CREATE TABLE plan_tasks (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id           bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  action_id         bigint REFERENCES plan_actions (id) ON DELETE SET NULL,
  number            text NOT NULL,
  title             text NOT NULL,
  responsible_units text[] NOT NULL DEFAULT '{}',
  supporting_units  text[] NOT NULL DEFAULT '{}',
  start_date        date,
  due_date          date,
  -- The policy text the task comes from.
  policy_text       text,
  position          integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (plan_id, number),
  CHECK (due_date IS NULL OR start_date IS NULL OR due_date >= start_date)
);

CREATE TABLE plan_task_reports (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id          bigint NOT NULL REFERENCES plan_tasks (id) ON DELETE CASCADE,
  unit             text NOT NULL,
  status           text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed', 'blocked')),
  percent          numeric CHECK (percent BETWEEN 0 AND 100),
  narrative        text,
  evidence         text,
  -- The date the report speaks for (the reporting period's end); status as of a date uses it.
  reported_on      date NOT NULL DEFAULT current_date,
  submitted_by     text,
  submitted_at     timestamptz NOT NULL DEFAULT now(),
  review_status    text NOT NULL DEFAULT 'submitted' CHECK (review_status IN ('submitted', 'accepted', 'returned')),
  reviewer         text,
  reviewer_comment text,
  reviewed_at      timestamptz
);
CREATE INDEX plan_task_reports_task ON plan_task_reports (task_id, review_status, reported_on);
