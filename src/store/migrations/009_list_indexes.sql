-- Indexes for the registry lists people page through most: a filter on a value list plus a
-- sort (projects by level and start date, title, code), so that a page is an index scan
-- and the count an index-only scan instead of scanning the table for every request.
CREATE INDEX IF NOT EXISTS projects_level_start ON projects (level, start_date, id);
CREATE INDEX IF NOT EXISTS projects_start ON projects (start_date, id);
CREATE INDEX IF NOT EXISTS projects_title_zh ON projects (title_zh, id);
CREATE INDEX IF NOT EXISTS projects_level_region ON projects (level, region_id);
CREATE INDEX IF NOT EXISTS funding_year ON funding (year, id);
CREATE INDEX IF NOT EXISTS organizations_name_zh ON organizations (name_zh, id);
