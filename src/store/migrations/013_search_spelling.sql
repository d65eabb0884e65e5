-- The search vectors of lists (registries, countries, marketplace) are written with the
-- project tokenizer's tokens, computed by the application (the database has no Chinese
-- tokenizer). From this version English words are stemmed in their American spelling
-- (src/text/spelling.ts), as matching already did: "organisation" and "organization", "centre"
-- and "center" are one token, so a search in either spelling finds both.
--
-- A migration cannot run the tokenizer, so it clears the vectors written the old way; the
-- application writes them again before they are searched: registries in
-- registry.repo.ts (fillRegistrySearch, before a list search or an import's name look-up),
-- countries on start (countries.seed.ts), marketplace profiles before a list search
-- (market.repo.ts, fillProfileSearch). Only `search` changes: the marketplace's change stamp
-- (migration 010's trigger) keeps its value, and no record's own data is touched.
UPDATE organizations SET search = NULL WHERE search IS NOT NULL;
UPDATE projects SET search = NULL WHERE search IS NOT NULL;
UPDATE platforms SET search = NULL WHERE search IS NOT NULL;
UPDATE talents SET search = NULL WHERE search IS NOT NULL;
UPDATE mechanisms SET search = NULL WHERE search IS NOT NULL;
UPDATE outputs SET search = NULL WHERE search IS NOT NULL;
UPDATE countries SET search = NULL WHERE search IS NOT NULL;
UPDATE market_profiles SET search = NULL WHERE search IS NOT NULL;

-- The records still to write, found without a scan (market_profiles has its own, from 010).
CREATE INDEX organizations_search_missing ON organizations (id) WHERE search IS NULL;
CREATE INDEX projects_search_missing ON projects (id) WHERE search IS NULL;
CREATE INDEX platforms_search_missing ON platforms (id) WHERE search IS NULL;
CREATE INDEX talents_search_missing ON talents (id) WHERE search IS NULL;
CREATE INDEX mechanisms_search_missing ON mechanisms (id) WHERE search IS NULL;
CREATE INDEX outputs_search_missing ON outputs (id) WHERE search IS NULL;
