// The store version every write transaction through Ripple advances, and one ChangeLog entry per such
// transaction naming the CIs it touched: what each process's impact read model brings itself up to date from.
CREATE CONSTRAINT store_version_id_unique IF NOT EXISTS FOR (v:StoreVersion) REQUIRE v.id IS UNIQUE;
CREATE CONSTRAINT change_log_version_unique IF NOT EXISTS FOR (c:ChangeLog) REQUIRE c.version IS UNIQUE;
CREATE INDEX change_log_at IF NOT EXISTS FOR (c:ChangeLog) ON (c.at);
MERGE (v:StoreVersion {id: 'store'}) ON CREATE SET v.version = 0;
