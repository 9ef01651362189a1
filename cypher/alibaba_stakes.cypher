// A group's equity ties: whom it owns or invested in, with the stake, the date and the report section.
// @param company = "alibaba"  Id of the owning or investing company
MATCH (a:Company {id: $company})-[r:OWNS|INVESTED_IN]->(t)
RETURN t.name_en AS target, t.name_zh AS target_zh, type(r) AS tie, r.stake AS stake, r.date AS date,
       r.source AS source
ORDER BY tie, target;
