-- Technology marketplace (issue 7): demands (技术需求) and offers (技术成果) with their review
-- workflow (draft → submitted → published, returned with comments or rejected; published →
-- expired / renewed; closed), the follow-up of matches (expression of interest → contact →
-- meeting → negotiation → agreement, or dropped), matches shown to their owners, saved searches
-- and in-app alerts. The matching index itself lives in memory (src/modules/market); the
-- version row below tells a process when profiles were written by another one.

CREATE TABLE market_profiles (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('demand', 'offer')),
  status          text NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'submitted', 'returned', 'rejected', 'published', 'expired', 'closed')),
  title_zh        text,
  title_en        text,
  summary_zh      text,
  summary_en      text,
  -- The problem solved (demand: the problem to solve) and the advantages, in either language.
  problem         text,
  advantages      text,
  -- A code of the technology-field taxonomy (src/modules/market/market.fields.ts).
  field           text,
  keywords        text[] NOT NULL DEFAULT '{}',
  trl             smallint CHECK (trl BETWEEN 1 AND 9),
  ipr             text CHECK (ipr IN ('none', 'patent_pending', 'patented', 'software_copyright', 'know_how', 'other')),
  cooperation     text[] NOT NULL DEFAULT '{}',
  org_id          bigint REFERENCES organizations (id),
  country_iso3    text REFERENCES countries (iso3),
  region_id       bigint REFERENCES admin_regions (id),
  expires_on      date,
  review_comment  text,
  reviewed_by     text,
  reviewed_at     timestamptz,
  submitted_at    timestamptz,
  published_at    timestamptz,
  closed_reason   text,
  created_by      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (title_zh IS NOT NULL OR title_en IS NOT NULL),
  CHECK (cooperation <@ ARRAY['licence', 'joint_rd', 'technical_service', 'investment', 'acquisition', 'talent']::text[])
);
CREATE INDEX market_profiles_status ON market_profiles (status, expires_on);

-- updated_at moves with every change, whoever makes it: it is the index's change stamp.
CREATE FUNCTION market_profiles_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END
$$;
CREATE TRIGGER market_profiles_touch BEFORE UPDATE ON market_profiles FOR EACH ROW EXECUTE FUNCTION market_profiles_touch();
CREATE INDEX market_profiles_org ON market_profiles (org_id);
CREATE INDEX market_profiles_region ON market_profiles (region_id);

-- The workflow history of a profile: every transition with its actor and comment.
CREATE TABLE market_profile_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  profile_id  bigint NOT NULL REFERENCES market_profiles (id) ON DELETE CASCADE,
  action      text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  comment     text,
  actor       text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX market_profile_events_profile ON market_profile_events (profile_id, id);

-- Matches of a stored profile shown to a person (the top of the funnel), with the field,
-- partner country and region the funnel groups and scopes them by.
CREATE TABLE market_matches_shown (
  profile_id    bigint NOT NULL REFERENCES market_profiles (id) ON DELETE CASCADE,
  target_kind   text NOT NULL CHECK (target_kind IN ('offer', 'demand', 'partner', 'talent')),
  target_id     bigint NOT NULL,
  score         numeric NOT NULL,
  field         text,
  country_iso3  text,
  region_id     bigint REFERENCES admin_regions (id),
  first_shown   timestamptz NOT NULL DEFAULT now(),
  last_shown    timestamptz NOT NULL DEFAULT now(),
  times         integer NOT NULL DEFAULT 1,
  PRIMARY KEY (profile_id, target_kind, target_id)
);

-- A match followed up: expression of interest → contact → meeting → negotiation → agreement,
-- or dropped with a reason. Field, country and region are those of the match when it was
-- taken up (the funnel groups by them); reached is the furthest stage before a drop.
CREATE TABLE market_followups (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  profile_id          bigint REFERENCES market_profiles (id) ON DELETE SET NULL,
  org_id              bigint REFERENCES organizations (id),
  target_kind         text NOT NULL CHECK (target_kind IN ('offer', 'demand', 'partner', 'talent')),
  target_id           bigint NOT NULL,
  intermediary_org_id bigint REFERENCES organizations (id),
  field               text,
  country_iso3        text REFERENCES countries (iso3),
  region_id           bigint REFERENCES admin_regions (id),
  stage               text NOT NULL DEFAULT 'interest'
                      CHECK (stage IN ('interest', 'contact', 'meeting', 'negotiation', 'agreement', 'dropped')),
  reached             text NOT NULL DEFAULT 'interest'
                      CHECK (reached IN ('interest', 'contact', 'meeting', 'negotiation', 'agreement')),
  stage_since         timestamptz NOT NULL DEFAULT now(),
  outcome             text CHECK (outcome IN ('licence', 'contract', 'joint_project', 'investment', 'acquisition', 'other')),
  dropped_reason      text,
  project_id          bigint REFERENCES projects (id) ON DELETE SET NULL,
  output_id           bigint REFERENCES outputs (id) ON DELETE SET NULL,
  score               numeric,
  reasons             jsonb NOT NULL DEFAULT '[]',
  note                text,
  created_by          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((stage = 'dropped') = (dropped_reason IS NOT NULL)),
  CHECK (outcome IS NULL OR stage = 'agreement')
);
CREATE UNIQUE INDEX market_followups_pair ON market_followups (coalesce(profile_id, 0), coalesce(org_id, 0), target_kind, target_id);
CREATE INDEX market_followups_stage ON market_followups (stage);

CREATE TABLE market_followup_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  followup_id bigint NOT NULL REFERENCES market_followups (id) ON DELETE CASCADE,
  from_stage  text,
  to_stage    text NOT NULL,
  note        text,
  actor       text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX market_followup_events_followup ON market_followup_events (followup_id, id);

-- A saved search of an organisation: its text and filters are matched against every profile
-- published afterwards.
CREATE TABLE market_saved_searches (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id     bigint REFERENCES organizations (id) ON DELETE CASCADE,
  user_id    bigint REFERENCES users (id) ON DELETE CASCADE,
  name       text NOT NULL CHECK (btrim(name) <> ''),
  text       text NOT NULL CHECK (btrim(text) <> ''),
  kind       text NOT NULL DEFAULT 'offer' CHECK (kind IN ('offer', 'demand')),
  filters    jsonb NOT NULL DEFAULT '{}',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX market_saved_searches_org ON market_saved_searches (org_id);

-- In-app notifications: a newly published profile entered the top matches of an
-- organisation's demand (or offer) or of one of its saved searches.
CREATE TABLE market_alerts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id          bigint REFERENCES organizations (id) ON DELETE CASCADE,
  user_id         bigint REFERENCES users (id) ON DELETE CASCADE,
  for_profile_id  bigint REFERENCES market_profiles (id) ON DELETE CASCADE,
  search_id       bigint REFERENCES market_saved_searches (id) ON DELETE CASCADE,
  profile_id      bigint NOT NULL REFERENCES market_profiles (id) ON DELETE CASCADE,
  rank            integer NOT NULL,
  score           numeric NOT NULL,
  reasons         jsonb NOT NULL DEFAULT '[]',
  created_at      timestamptz NOT NULL DEFAULT now(),
  read_at         timestamptz,
  CHECK ((for_profile_id IS NULL) <> (search_id IS NULL))
);
CREATE UNIQUE INDEX market_alerts_once ON market_alerts (coalesce(for_profile_id, 0), coalesce(search_id, 0), profile_id);
CREATE INDEX market_alerts_org ON market_alerts (org_id, read_at);

-- Bumped by every statement that writes market_profiles: a process whose in-memory index saw
-- another version reconciles it with the table before it matches.
CREATE TABLE market_index_version (
  source  text PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO market_index_version (source, version) VALUES ('profiles', 0);

CREATE FUNCTION market_index_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE market_index_version SET version = version + 1 WHERE source = TG_ARGV[0];
  RETURN NULL;
END
$$;
CREATE TRIGGER market_profiles_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON market_profiles
  FOR EACH STATEMENT EXECUTE FUNCTION market_index_bump('profiles');
