// Closed intervals of relationships (deleted, or gone absent) live on their own nodes, apart from the live graph,
// so a walk of the graph as it is now never meets them; a walk as of a past instant finds them by either end.
CREATE INDEX relationship_interval_from IF NOT EXISTS FOR (v:RelationshipInterval) ON (v.fromId);
CREATE INDEX relationship_interval_to IF NOT EXISTS FOR (v:RelationshipInterval) ON (v.toId);
