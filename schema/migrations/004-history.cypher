// History entries are read newest first per CI; ids make them addressable for the audit trail.
CREATE CONSTRAINT history_id_unique IF NOT EXISTS FOR (h:History) REQUIRE h.id IS UNIQUE;
CREATE INDEX history_at IF NOT EXISTS FOR (h:History) ON (h.at);
