// The shortest chains of ties between two entities: every chain with the fewest ties (in no set order), who and which ties lie along it, with each tie's report section.
// @param from_entity = "wangjin"  Id of the entity the chains start at
// @param to_entity = "alipay"  Id of the entity the chains end at
MATCH p = allShortestPaths((a {id: $from_entity})-[*..10]-(b {id: $to_entity}))
RETURN [n IN nodes(p) | n.name] AS chain, [r IN relationships(p) | type(r)] AS ties,
       [r IN relationships(p) | r.source] AS sources, length(p) AS hops;
