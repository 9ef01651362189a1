// Products an entity co-developed (Tmall's by default), with the partners that developed them alongside it.
// Only products the data names count: Tmall's 2014 custom appliances with Midea, Joyoung and eight other makers (貳.七) name no product, so the data holds them as partnerships (the `partners` query lists them).
// @param developer = "tmall"  Id of the platform or company
MATCH (d {id: $developer})-[r:CO_DEVELOPS]->(prod:Product)
OPTIONAL MATCH (other)-[:CO_DEVELOPS]->(prod)
WHERE other <> d
RETURN prod.name AS product, prod.name_zh AS product_zh, other.name AS co_developer, r.description AS how,
       r.source AS source
ORDER BY product, co_developer;
