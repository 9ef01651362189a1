// 表四: Taiwanese firms by their mode of entering the mainland e-commerce market.
MATCH (f)-[:USES_ENTRY_MODE]->(m:BusinessModel)
RETURN m.name_zh AS entry_mode, collect(f.name_zh) AS firms, count(f) AS n
ORDER BY entry_mode;
