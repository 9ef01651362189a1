// Logistics partners of a platform: who delivers for it or for the group that owns it, and the logistics firms that group bought into or works with.
// Only ties the report states in its logistics section count, so the group's other investments stay out.
// @param platform = "taobao"  Id of the platform
// @param section = "貳.四"  Report section the ties come from (貳.四: smart and cross-border logistics)
MATCH (p {id: $platform})<-[:OWNS*0..1]-(g)
MATCH (g)-[r:DELIVERS_FOR|INVESTED_IN|PARTNERS_WITH]-(x)
WHERE r.source STARTS WITH $section
RETURN x.name AS partner, x.name_zh AS partner_zh, x.country AS partner_country, g.name AS tied_to,
       type(r) AS tie, r.stake AS stake, r.count AS count, r.count_unit AS count_unit, r.source AS source
ORDER BY partner, tie;
