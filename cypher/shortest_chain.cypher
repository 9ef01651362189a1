// The shortest chain of ties between two entities: who and which ties lie between them, with each tie's report section.
// @param from_entity = "wangjin"  Id of the entity the chain starts at
// @param to_entity = "alipay"  Id of the entity the chain ends at
MATCH p = shortestPath((a {id: $from_entity})-[*..10]-(b {id: $to_entity}))
RETURN [n IN nodes(p) | n.name] AS chain, [r IN relationships(p) | type(r)] AS ties,
       [r IN relationships(p) | r.source] AS sources, length(p) AS hops
ORDER BY hops;
