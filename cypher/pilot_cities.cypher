// The six pilot cities of the 2013 cross-border e-commerce retail export opinions.
MATCH (c:City)-[r:PILOT_CITY_OF]->(p:Policy)
RETURN p.name_zh AS policy, c.name_en AS city, c.name_zh AS city_zh, r.source AS source
ORDER BY city;
