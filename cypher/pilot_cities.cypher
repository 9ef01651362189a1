// The pilot cities of a policy (by default the six pilot cities of the 2013 opinions on cross-border e-commerce retail exports).
// @param policy = "cross-border-retail-export-opinions"  Id of the policy
MATCH (c:City)-[r:PILOT_CITY_OF]->(p:Policy {id: $policy})
RETURN p.name_zh AS policy, c.name_en AS city, c.name_zh AS city_zh, r.source AS source
ORDER BY city;
