// An entity's partners (1號店's by default): each partnership with where the partner is based, the year and the report section.
// Where the partner is based: each place it is LOCATED_IN, else the country the data gives it.
// @param entity = "yihaodian"  Id of the entity
MATCH (a {id: $entity})-[r:PARTNERS_WITH]-(b)
OPTIONAL MATCH (b)-[:LOCATED_IN]->(place)
RETURN b.name AS partner, b.name_zh AS partner_zh, coalesce(place.name, b.country) AS based_in, r.year AS year,
       r.description AS what, r.source AS source
ORDER BY partner, based_in;
