// 表四: Taiwanese firms by their mode of entering the mainland e-commerce market, firms listed by Chinese name.
MATCH (f)-[r:USES_ENTRY_MODE]->(m:BusinessModel)
WITH m, f, r
ORDER BY f.name_zh
RETURN m.name_zh AS entry_mode, m.name_en AS entry_mode_en, collect(f.name_zh) AS firms, count(f) AS n,
       collect(DISTINCT r.source) AS sources
ORDER BY entry_mode;
