// The report's figures about one entity (Yiwu by default): metric, period, value or text, basis and source.
// @param entity = "yiwu"  Id of the entity
MATCH (e {id: $entity})-[:HAS_OBSERVATION]->(o:Observation)
OPTIONAL MATCH (c {id: o.cited})
RETURN o.metric AS metric, o.period AS period, o.value AS value, o.unit AS unit, o.text AS text,
       o.basis AS basis, o.source AS source, c.name AS cited, o.note AS note
ORDER BY metric, period, value;
