// Policies and who issued them: every policy in the network with each body that issued or drafted it (none where the report names no issuer).
MATCH (p:Policy)
OPTIONAL MATCH (p)-[r:ISSUED_BY]->(g:GovernmentBody)
RETURN p.name AS policy, p.name_zh AS policy_zh, g.name AS issued_by, g.name_zh AS issued_by_zh,
       r.date AS date, r.source AS source
ORDER BY policy, issued_by;
