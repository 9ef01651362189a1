// An entity's ecosystem: every entity within a few ties of it, nearest first, with its kind and distance.
// The pattern stops at 3 ties (Cypher cannot take a variable-length bound as a parameter), so hops above 3 act as 3.
// One shortest path to each entity, not every path: around a hub, the paths within 3 ties can number billions.
// @param entity = "alibaba"  Id of the entity at the centre
// @param hops = 2  Largest number of ties between the centre and an entity listed (1 to 3)
MATCH p = shortestPath((a {id: $entity})-[*..3]-(b))
WITH a, b, length(p) AS distance
WHERE distance <= $hops AND b <> a AND NOT b:Observation
RETURN b.name AS entity, b.name_zh AS entity_zh, [l IN labels(b) WHERE l <> 'Ecograph'][0] AS kind, distance
ORDER BY distance, entity;
