"""Word lists the dialect reads queries with: Neo4j's keywords and functions, LadybugDB's
reserved words, and the engine limits the rewrites write into queries.
"""

from __future__ import annotations

# LadybugDB's default (and maximum) depth of a variable-length relationship.
MAX_DEPTH = 30


# Upper bound for "to the end" in list_slice/substring: LadybugDB clips it.
TO_END = "9223372036854775807"


# Words that are keywords where a Neo4j query uses them: never an operand, never a callee.
KEYWORDS = frozenset(
    """
    ALL AND ANY AS ASC ASCENDING BY CALL CASE CONTAINS CREATE DELETE DESC DESCENDING DETACH
    DISTINCT ELSE END ENDS EXISTS FALSE FOREACH IN IS LIMIT LOAD MATCH MERGE NONE NOT NULL ON
    OPTIONAL OR ORDER REMOVE RETURN SET SKIP STARTS THEN TRUE UNION UNWIND USE WHEN WHERE WITH
    XOR YIELD SINGLE COUNT
    """.split()
)


# Keywords that may be followed by "(" as a function call.
CALLABLE_KEYWORDS = frozenset({"ALL", "ANY", "NONE", "SINGLE", "EXISTS", "COUNT"})


# Words LadybugDB's parser refuses as a property key, map key, variable or label (probed on
# 0.22.0 with `o.word`, `{word: 1}`, `WITH 1 AS word`, `(n:Word)`); backticks make them legal.
LADYBUG_RESERVED = frozenset(
    """
    acyclic all and any asc ascending case cast column commit_skip_checkpoint create csr dbtype
    default desc descending distinct else end ends exists false for glob group headers hint index
    in install join macro multi_join none not null on only optional options or order primary
    profile rollback_skip_checkpoint shortest single sorted starts table then trail true union
    unwind when where with wshortest xor
    """.split()
)


# Of those, the ones that are not Cypher keywords in Neo4j: wherever a Neo4j query has them,
# they name something (a variable, label or alias), so they can be backticked anywhere.
LADYBUG_ONLY_RESERVED = frozenset(
    """
    acyclic cast column commit_skip_checkpoint csr dbtype default glob group headers hint index
    install join macro multi_join only options primary profile rollback_skip_checkpoint sorted
    table trail wshortest
    """.split()
)


# Neo4j's built-in functions, lower-case -> spelling, to tell "not supported here" from a typo.
NEO4J_FUNCTIONS = {
    name.lower(): name
    for name in """
    abs acos all allReduce any asin atan atan2 avg btrim ceil char_length character_length
    coalesce collect cos cosh cot coth count date datetime degrees distance duration e elementId
    endNode exists exp file floor graph.names haversin head id isEmpty isNaN keys labels last left
    length linenumber localdatetime localtime log log10 lower ltrim max min nodes none normalize
    nullIf percentileCont percentileDisc pi point radians rand randomUUID range reduce
    relationships replace reverse right round rtrim sign sin single sinh size split sqrt
    startNode stDev stDevP substring sum tail tan tanh time timestamp toBoolean toBooleanList
    toBooleanOrNull toFloat toFloatList toFloatOrNull toInteger toIntegerList toIntegerOrNull
    toLower toString toStringList toStringOrNull toUpper trim type upper valueType
    """.split()
}


# Calls whose result is a string, to keep reverse() for reverse(toUpper(x)) and the like.
STRING_FUNCTIONS = frozenset(
    """
    toupper tolower upper lower trim ltrim rtrim substring replace left right tostring
    tostringornull ecograph_to_string ecograph_to_string_or_null lpad rpad concat reverse
    """.split()
)


# Functions taking a lambda (x -> …) or a filter (x IN l WHERE …) in LadybugDB.
LAMBDA_FUNCTIONS = frozenset({"list_transform", "list_filter", "any", "all", "none", "single"})

