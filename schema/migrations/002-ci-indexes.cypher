// Filters and ordering of the CI connection.
CREATE INDEX ci_name IF NOT EXISTS FOR (n:CI) ON (n.name);
CREATE INDEX ci_class IF NOT EXISTS FOR (n:CI) ON (n.class);
CREATE INDEX ci_environment IF NOT EXISTS FOR (n:CI) ON (n.environment);
CREATE INDEX ci_lifecycle IF NOT EXISTS FOR (n:CI) ON (n.lifecycle);
CREATE INDEX ci_criticality IF NOT EXISTS FOR (n:CI) ON (n.criticality);
CREATE INDEX ci_stale IF NOT EXISTS FOR (n:CI) ON (n.stale);
CREATE INDEX ci_updated_at IF NOT EXISTS FOR (n:CI) ON (n.updatedAt);
