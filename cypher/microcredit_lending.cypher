// Microcredit arms: which group set each lender up and when, and whose merchants it lends to.
MATCH (f:FinancialService)-[r:LENDS_TO]->(t)
OPTIONAL MATCH (o:Company)-[s:OWNS]->(f)
RETURN o.name AS owner, f.name AS lender, f.name_zh AS lender_zh, s.date AS set_up, t.name AS lends_to,
       r.description AS what, r.source AS source
ORDER BY owner, lender, lends_to;
