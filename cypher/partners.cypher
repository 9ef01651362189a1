// An entity's partners (1號店's by default): each partnership with where the partner is based, the year and the report section.
// @param entity = "yihaodian"  Id of the entity
MATCH (a {id: $entity})-[r:PARTNERS_WITH]-(b)
OPTIONAL MATCH (b)-[:LOCATED_IN]->(place)
RETURN b.name AS partner, b.name_zh AS partner_zh, place.name AS based_in, r.year AS year,
       r.description AS what, r.source AS source
ORDER BY partner, based_in;
