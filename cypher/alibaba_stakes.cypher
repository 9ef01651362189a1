// Alibaba's equity ties: whom it owns or invested in, with the stake and the report section.
MATCH (a:Company {id: 'alibaba'})-[r:OWNS|INVESTED_IN]->(t)
RETURN t.name_en AS target, t.name_zh AS target_zh, type(r) AS tie, r.stake AS stake, r.source AS source
ORDER BY tie, target;
