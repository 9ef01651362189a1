// Contested ground: entities tied to both camps, a camp being a group and everything it owns (Alibaba's and Tencent's by default).
// Being located in the same place is no contest: LOCATED_IN ties do not count, nor do figures.
// @param camp_a = "alibaba"  Id of the group heading the first camp
// @param camp_b = "tencent"  Id of the group heading the second camp
MATCH (ga {id: $camp_a})-[:OWNS*0..1]->(a)-[ra]-(x)
WHERE NOT type(ra) IN ['OWNS', 'LOCATED_IN', 'HAS_OBSERVATION']
MATCH (gb {id: $camp_b})-[:OWNS*0..1]->(b)-[rb]-(x)
WHERE NOT type(rb) IN ['OWNS', 'LOCATED_IN', 'HAS_OBSERVATION']
WITH x, a, ra, b, rb
ORDER BY a.name, b.name
RETURN x.name AS entity, x.name_zh AS entity_zh, [l IN labels(x) WHERE l <> 'Ecograph'][0] AS kind,
       collect(DISTINCT a.name) AS camp_a_side, collect(DISTINCT b.name) AS camp_b_side,
       collect(DISTINCT type(ra)) AS camp_a_ties, collect(DISTINCT type(rb)) AS camp_b_ties,
       collect(DISTINCT ra.source) AS camp_a_sources, collect(DISTINCT rb.source) AS camp_b_sources
ORDER BY entity;
