// A service has at most one service level; incidents' impact intervals are read by service and time.
CREATE CONSTRAINT service_level_service_unique IF NOT EXISTS FOR (l:ServiceLevel) REQUIRE l.serviceId IS UNIQUE;
CREATE INDEX impacted_from IF NOT EXISTS FOR ()-[r:IMPACTED]-() ON (r.from);
