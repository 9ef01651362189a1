// The most connected entities: ties to other entities (figures left out), with the number of distinct neighbours.
// @param top = 10  How many entities to list
MATCH (n)-[r]-(m)
WHERE type(r) <> 'HAS_OBSERVATION'
RETURN n.name AS entity, n.name_zh AS entity_zh, [l IN labels(n) WHERE l <> 'Ecograph'][0] AS kind,
       count(r) AS ties, count(DISTINCT m) AS neighbours
ORDER BY ties DESC, entity
LIMIT $top;
