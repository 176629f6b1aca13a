// Discovery runs are addressed by id; health reports group stale CIs and absent relationships by source.
CREATE INDEX discovery_run_source IF NOT EXISTS FOR (r:DiscoveryRun) ON (r.source, r.status);
CREATE CONSTRAINT duplicate_conflict_key IF NOT EXISTS FOR (d:DuplicateConflict) REQUIRE d.key IS UNIQUE;
