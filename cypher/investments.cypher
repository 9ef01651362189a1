// Investments across the network: who bought into whom, with the stake, year, amount and report section.
// @param min_stake = 0  Smallest stake to list (fraction 0–1); ties whose stake the report does not give count as 0
MATCH (a)-[r:INVESTED_IN]->(t)
WHERE coalesce(r.stake, 0) >= $min_stake
RETURN a.name AS investor, t.name AS target, t.name_zh AS target_zh, t.country AS target_country,
       r.stake AS stake, r.year AS year, r.amount AS amount, r.currency AS currency, r.source AS source
ORDER BY investor, target;
