"""Run Neo4j-flavoured Cypher on the embedded engine (LadybugDB, the maintained fork of Kùzu).

Users paste queries written for Neo4j. LadybugDB speaks openCypher too, but some Neo4j
constructs fail there (``type(r)`` does not exist, ``WHERE n:Label`` does not parse) and, worse,
some run and quietly give another answer (``labels(n)`` is a string, lists are 1-based,
``toInteger(2.7)`` is 3, patterns match walks where Neo4j matches trails). :func:`translate`
rewrites a Neo4j query into one that gives Neo4j's answer on LadybugDB, or raises
:class:`~ecograph.errors.UnsupportedCypherError` naming the construct it cannot carry over.

How it works: one small tokenizer cuts the query into names, strings, comments, backticked
names, numbers, parameters and punctuation; brackets are folded into a tree of groups. Each group
is classified by where it stands: a node or relationship pattern, call arguments, a list, a map,
a subquery... That is what tells ``(n:Label)`` in a pattern from ``n:Label`` in a WHERE, or
``[x IN l | x.id]`` from ``-[r:T]->``. The rewrites then run bottom-up, one function each, on the
groups; they never look inside strings, comments or backticks, and everything they do not
rewrite comes out byte for byte, whitespace included. Beyond functions and syntax, some rewrites
restore Neo4j's semantics: variable-length patterns match trails (``* TRAIL``) and two
relationships of one MATCH are kept apart, unnamed RETURN columns are named by their Neo4j text,
and ``WITH … ORDER BY`` keeps its order for collect().

The modules, lowest first (each imports only those above it):

- ``words``: keyword and function lists, engine limits;
- ``tokens``: the tokenizer and the bracket tree;
- ``clauses``: clause keywords, regions, what each group is;
- ``writes``: :func:`writing_clause`, :func:`parameter_names` (used by both backends);
- ``conversions``: the Python functions the rewrites call, :func:`register_functions`;
- ``labels``, ``paths``, ``checks``, ``columns``, ``trails``, ``subscripts``, ``temporal``,
  ``calls``, ``expressions``, ``semantics``, ``ordering``, ``conditions``: one family of rewrites
  or refusals each (``calls`` holds the function table, ``semantics`` Neo4j's comparisons,
  ``IN`` and literals);
- ``translate``: :func:`translate`, the rewrites in order;
- ``entity_ids``: :func:`entity_ids`, returned entities as ids for the store to read in batches;
- ``messages``: :func:`engine_error`, engine exceptions in ecograph's words.

Value semantics (``semantics``): a string never equals a number, ``IN`` is three-valued, NaN
compares false, integer literals stay within 64 bits, duplicate and mismatched UNION columns are
refused; dates (``temporal``) read Neo4j's text forms and accessors.

Ids (``calls``): ``id()`` is an integer, the table's number times 2^40 plus the row's offset
(LadybugDB's own id is a ``{table, offset}`` pair), and ``elementId()`` the string
``"table:offset"`` that returned nodes and relationships carry as their element id. ORDER BY
(``ordering``) puts NaN above every number and below null, as Neo4j does; a WHEN condition
that holds a CASE (``conditions``) is compared with true, which LadybugDB needs.

Still different from Neo4j (no cheap fix): a variable-length relationship may reuse a
relationship that another pattern of the same MATCH matched; ``reverse()`` of a value not known
to be a string is taken as a list; conversions of booleans, dates or lists that are not literals
cannot be bound; ``shortestPath`` never returns a 0-length path.

Example::

    >>> translate("MATCH (a)-[r]->(b) WHERE a:Company RETURN type(r), labels(b)")
    "MATCH (a)-[r]->(b) WHERE (label(a) = 'Company') RETURN label(r), (CASE WHEN b IS NULL THEN NULL ELSE [label(b)] END)"
"""

from ecograph.query.dialect.conversions import register_functions
from ecograph.query.dialect.entity_ids import EntityIds, entity_ids
from ecograph.query.dialect.messages import engine_error
from ecograph.query.dialect.tokens import MAX_NESTING
from ecograph.query.dialect.translate import translate
from ecograph.query.dialect.writes import missing_parameters, parameter_names, writing_clause

__all__ = [
    "translate",
    "entity_ids",
    "EntityIds",
    "writing_clause",
    "parameter_names",
    "missing_parameters",
    "register_functions",
    "engine_error",
    "MAX_NESTING",
]
