// Policies and the bodies behind them: every policy in the network with each body or party that issued, drafted or launched it, must implement it, reviewed it or signed it, and in which role (none where the report names none).
// count says how many bodies share that role where the report names only some (13 ministries issued the 2013 notice).
MATCH (p:Policy)
OPTIONAL MATCH (p)-[r:ISSUED_BY|IMPLEMENTED_BY|REVIEWED_BY|SIGNED_BY|LAUNCHED]-(g)
RETURN p.name AS policy, p.name_zh AS policy_zh, g.name AS body, g.name_zh AS body_zh, type(r) AS role,
       r.count AS count, r.count_unit AS count_unit, r.date AS date, r.source AS source
ORDER BY policy, role, body;
