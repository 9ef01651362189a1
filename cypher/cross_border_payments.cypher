// Cross-border payment providers: every payment service at a checkout that takes payments across a border (some processor there is based in another country than its client).
MATCH (x:PaymentService)-[:PROCESSES_PAYMENTS_FOR]->(t)
WHERE x.country <> t.country
WITH DISTINCT t
MATCH (s:PaymentService)-[r:PROCESSES_PAYMENTS_FOR]->(t)
RETURN DISTINCT s.name AS payment_service, s.country AS service_country, t.name AS takes_payments_for,
       t.country AS client_country, s.country <> t.country AS crosses_border, r.description AS what,
       r.source AS source
ORDER BY payment_service, takes_payments_for;
