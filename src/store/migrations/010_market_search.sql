-- Index-backed text search of the demand and offer list (`q`), as the registries search: the
-- project tokenizer's tokens (jieba words, Porter stems) in a `simple` tsvector with a GIN index.
--
-- The database has no Chinese tokenizer, so the vector is computed by the application: written
-- with every create, edit and import (src/modules/market/market.repo.ts). Rows that have none —
-- the rows that exist when this migration runs, and rows bulk-loaded or edited by plain SQL — are
-- filled by the application before the next search (market.search.ts, fillProfileSearch): a
-- search never reads a stale or missing vector.
ALTER TABLE market_profiles ADD COLUMN search tsvector;
CREATE INDEX market_profiles_search ON market_profiles USING gin (search);
-- The rows still to fill, found without a scan.
CREATE INDEX market_profiles_search_missing ON market_profiles (id) WHERE search IS NULL;

-- A write that changes the searched text but not the vector clears the vector, so that it is
-- computed again instead of answering for the old text.
CREATE FUNCTION market_profiles_search_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.search IS NOT DISTINCT FROM OLD.search
     AND (NEW.title_zh, NEW.title_en, NEW.summary_zh, NEW.summary_en, NEW.problem, NEW.advantages, NEW.keywords)
         IS DISTINCT FROM (OLD.title_zh, OLD.title_en, OLD.summary_zh, OLD.summary_en, OLD.problem, OLD.advantages, OLD.keywords) THEN
    NEW.search := NULL;
  END IF;
  RETURN NEW;
END
$$;
-- Runs before market_profiles_touch (triggers of one event fire in name order).
CREATE TRIGGER market_profiles_search_stale BEFORE UPDATE ON market_profiles FOR EACH ROW EXECUTE FUNCTION market_profiles_search_stale();

-- updated_at is the profile's change stamp (the matching index reconciles on it): filling the
-- search vector alone is no change of the profile and keeps it.
CREATE OR REPLACE FUNCTION market_profiles_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.search IS DISTINCT FROM OLD.search
     AND (to_jsonb(NEW) - 'search' - 'updated_at') = (to_jsonb(OLD) - 'search' - 'updated_at') THEN
    NEW.updated_at := OLD.updated_at;
    RETURN NEW;
  END IF;
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END
$$;
