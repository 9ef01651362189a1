// Market sizes over time: the report's figures for each market (表二 and the text), with basis, unit and who it cites.
// @param metric = "market_size"  Metric of the figures (market_size, yoy_growth, export_share, import_share …)
MATCH (m:Market)-[:HAS_OBSERVATION]->(o:Observation {metric: $metric})
OPTIONAL MATCH (c {id: o.cited})
RETURN m.name AS market, m.name_zh AS market_zh, o.period AS period, o.value AS value, o.unit AS unit,
       o.basis AS basis, o.table AS seed_table, o.source AS source, c.name AS cited
ORDER BY market, period, value;
