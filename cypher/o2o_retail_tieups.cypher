// O2O tie-ups: online platforms' partnerships with physical retailers and city convenience-store networks, as the report's O2O section states them.
// @param section = "貳.三"  Report section the ties come from (貳.三: O2O)
MATCH (p:Platform)-[r:PARTNERS_WITH|COOPERATES_IN]-(x)
WHERE r.source STARTS WITH $section
RETURN p.name AS platform, p.name_zh AS platform_zh, type(r) AS tie, x.name AS partner, x.name_zh AS partner_zh,
       r.year AS year, r.count AS count, r.count_unit AS count_unit, r.description AS what, r.source AS source
ORDER BY platform, partner;
