-- The descending twins of 009's list indexes. Lists put blanks last in both directions
-- (ORDER BY x DESC NULLS LAST), which an ascending index read backwards cannot give: without
-- these, a descending sort by start date or title sorted every matching project.
CREATE INDEX IF NOT EXISTS projects_level_start_desc ON projects (level, start_date DESC NULLS LAST, id DESC);
CREATE INDEX IF NOT EXISTS projects_start_desc ON projects (start_date DESC NULLS LAST, id DESC);
CREATE INDEX IF NOT EXISTS projects_title_zh_desc ON projects (title_zh DESC NULLS LAST, id DESC);
