"""The one definition of ecograph's data model.

Everything that needs to know what an entity or a relationship looks like reads it from here:
the validator (:mod:`ecograph.data.graphdata`), the generated data-model document
(``graphdata/SCHEMA.md``), and later the embedded database's tables and the Neo4j constraints.
Change the model here and nowhere else.

Three kinds of record live in ``graphdata/``:

- **entities** (``entities/*.csv``) become nodes; ``kind`` becomes the node label;
- **relationships** (``relationships/*.csv``) become typed, directed edges;
- **observations** (``tables/*.csv``) are the report's figures and tables (表一–表四 and the
  figures quoted in the text), each about one entity, with unit, period and source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "Kind",
    "Field",
    "RelType",
    "KINDS",
    "REL_TYPES",
    "TIE_GROUPS",
    "ALLIANCE_TYPES",
    "ORGANISATION_KINDS",
    "ENTITY_FIELDS",
    "RELATIONSHIP_FIELDS",
    "OBSERVATION_FIELDS",
    "REGIONS",
    "COUNTRY_IDS",
    "LOCATED_KINDS",
    "UNITS",
    "CURRENCIES",
    "BASES",
    "ID_PATTERN",
    "DATE_PATTERN",
    "PERIOD_PATTERN",
    "NUMBER_PATTERN",
    "INT_PATTERN",
    "LIST_SEPARATOR",
    "FORBIDDEN_CHARACTERS",
    "FREE_TEXT_CHARACTERS",
    "CITABLE_KINDS",
    "StoreProperty",
    "OBSERVATION_LABEL",
    "OBSERVATION_REL",
    "ENTITY_MARKER_LABEL",
    "NODE_PROPERTIES",
    "RELATIONSHIP_PROPERTIES",
    "OBSERVATION_PROPERTIES",
]


@dataclass(frozen=True)
class Kind:
    """An entity kind; its name is the node label."""

    name: str
    description: str


@dataclass(frozen=True)
class Field:
    """One column of a data file.

    ``type`` is one of ``id``, ``text``, ``list``, ``kind``, ``reltype``, ``ref``, ``region``,
    ``fraction``, ``number``, ``int``, ``date``, ``period``, ``currency``, ``unit``, ``basis``,
    ``metric``. ``unit`` is the unit a value is stored in (documentation and later exports).
    ``derived`` fields are not columns: the loader computes them. ``free_text`` fields may
    hold tabs and line breaks (:data:`FREE_TEXT_CHARACTERS`); every other field is one line.
    """

    name: str
    type: str
    description: str
    required: bool = False
    unit: str = ""
    derived: bool = False
    free_text: bool = False


@dataclass(frozen=True)
class RelType:
    """A relationship type with the entity kinds allowed at each end."""

    name: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    symmetric: bool = False  # stored once, read in both directions (partnerships)
    properties: tuple[str, ...] = field(default=())  # the optional properties that apply
    group: str = "context"  # one of TIE_GROUPS: what kind of tie this is to a strategist
    verb: str = ""  # the tie in words, read from source to target: "invested in"

    @property
    def words(self) -> str:
        """The type as a reader says it: its verb, or its name in lower case."""
        return self.verb or self.name.lower().replace("_", " ")


# How a strategist reads a tie: equity and deals are alliances, the rest places them in context
# (where, under which policy, in which market). Chains and brokers follow alliances by default.
TIE_GROUPS = {
    "equity": "ownership and investment: who holds whom",
    "deal": "business ties between organisations: partnering, delivering, paying, selling, lending",
    "context": "where an entity is, what governs it, which market or model it belongs to",
}


_ORG = ("Company", "Platform", "PaymentService", "FinancialService", "ResearchInstitute")
_PLACE = ("City", "Province", "Country")
_POLICY_BODY = ("GovernmentBody",)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("Company", "A business group or firm (Alibaba Group, Tencent, Singapore Post)."),
        Kind(
            "Platform",
            "An e-commerce, social or logistics-information platform a company runs "
            "(Taobao, Tmall, 京東商城, 1號店, 義烏購, Sina Weibo).",
        ),
        Kind("PaymentService", "A payment or third-party payment service (Alipay, PayPal, 易寶支付)."),
        Kind("FinancialService", "A lender or other financial arm (the microcredit companies)."),
        Kind("Product", "A product brought to market (酷開電視, the Coocaa smart TV)."),
        Kind("City", "A city or county-level city (Shanghai, Yiwu)."),
        Kind("Province", "A province or provincial-level region (Zhejiang, Fujian)."),
        Kind("Country", "A country or economy (Mainland China, Taiwan, Singapore)."),
        Kind("CityTier", "A tier of Chinese cities as the report groups them (一級城市 … 四級城市)."),
        Kind(
            "LogisticsHub",
            "A port, logistics park, trading hub or e-commerce park (義烏港, 寧波港, 義烏國際電子商務城).",
        ),
        Kind("GovernmentBody", "A ministry, agency, legislature committee or local government."),
        Kind(
            "Policy",
            "A law, draft law, plan, agreement, licence regime, designation or programme "
            "(電子商務法, 海峽兩岸服務貿易協議, the 230 plan).",
        ),
        Kind(
            "BusinessModel",
            "A way of doing business the report compares (the three Taiwanese entry modes of 表四, "
            "bonded import, traditional 代購).",
        ),
        Kind("Market", "A market the report sizes (China cross-border e-commerce, China O2O)."),
        Kind("Event", "A recurring shopping event (雙十二購物節)."),
        Kind(
            "ResearchInstitute",
            "An organisation whose research the report cites (McKinsey Global Institute, 易觀, 艾瑞網).",
        ),
        Kind("Study", "A named report, survey or article the report cites."),
    )
}

# Kinds whose entities may be named in a relationship's or observation's ``cited`` column.
CITABLE_KINDS = ("ResearchInstitute", "Study", "Company", "GovernmentBody")

_STAKE = ("stake", "date", "amount", "currency", "count", "count_unit")
_DATED = ("date", "count", "count_unit")

REL_TYPES: dict[str, RelType] = {
    r.name: r
    for r in (
        RelType(
            "OWNS",
            "The source owns, runs or set up the target (旗下, 成立). Stake when the text gives it.",
            ("Company",),
            ("Company", "Platform", "PaymentService", "FinancialService"),
            properties=_STAKE,
            group="equity",
            verb="owns",
        ),
        RelType(
            "INVESTED_IN",
            "The source bought shares in or invested in the target.",
            ("Company", "Platform"),
            ("Company", "Platform"),
            properties=_STAKE,
            group="equity",
            verb="invested in",
        ),
        RelType(
            "PARTNERS_WITH",
            "A stated partnership or strategic cooperation (合作, 戰略合作). Symmetric; stored "
            "from the party the text makes the subject.",
            _ORG + ("LogisticsHub",),
            _ORG + ("LogisticsHub",),
            symmetric=True,
            properties=_DATED,
            group="deal",
            verb="partners with",
        ),
        RelType(
            "DELIVERS_FOR",
            "Logistics: the source delivers goods for the target.",
            ("Company", "LogisticsHub", "Platform"),
            ("Company", "Platform"),
            properties=_DATED,
            group="deal",
            verb="delivers for",
        ),
        RelType(
            "CONNECTS_TO",
            "Logistics: a transport link between two hubs (海鐵聯運 sea-rail, …).",
            ("LogisticsHub",),
            ("LogisticsHub",),
            symmetric=True,
            properties=_DATED,
            verb="connects to",
        ),
        RelType(
            "PROCESSES_PAYMENTS_FOR",
            "The payment service takes payments for the target's users or buyers.",
            ("PaymentService",),
            ("Platform", "Company"),
            properties=_DATED,
            group="deal",
            verb="processes payments for",
        ),
        RelType(
            "SELLS_ON",
            "The source sells to consumers through the target platform.",
            ("Company", "Platform"),
            ("Platform",),
            properties=_DATED,
            group="deal",
            verb="sells on",
        ),
        RelType(
            "CO_DEVELOPS",
            "The source co-developed the target product.",
            ("Company", "Platform"),
            ("Product",),
            properties=_DATED,
            group="deal",
            verb="co-develops",
        ),
        RelType(
            "LENDS_TO",
            "The lender extends credit to the merchants of the target platform or chain.",
            ("FinancialService",),
            ("Platform", "Company"),
            properties=_DATED,
            group="deal",
            verb="lends to the merchants of",
        ),
        RelType(
            "COOPERATES_IN",
            "The source has stated cooperation with local businesses in the target city "
            "(e.g. convenience-store partners in 15 cities).",
            ("Company", "Platform"),
            ("City",),
            properties=_DATED,
            verb="cooperates with local businesses in",
        ),
        RelType(
            "ACTIVE_IN",
            "The organisation is a stated player in, or names as a priority, the market.",
            _ORG,
            ("Market",),
            properties=_DATED,
            verb="is active in",
        ),
        RelType(
            "PILOT_CITY_OF",
            "The city is a pilot (試點) city of the policy.",
            ("City",),
            ("Policy",),
            properties=_DATED,
            verb="is a pilot city of",
        ),
        RelType(
            "DESIGNATED_UNDER",
            "The place was listed or designated under a national programme.",
            ("City", "LogisticsHub"),
            ("Policy",),
            properties=_DATED,
            verb="is designated under",
        ),
        RelType(
            "ISSUED_BY",
            "The policy was issued, drafted or promoted by the body.",
            ("Policy",),
            _POLICY_BODY,
            properties=_DATED,
            verb="was issued by",
        ),
        RelType(
            "IMPLEMENTED_BY",
            "The policy assigns implementation duties to the body.",
            ("Policy",),
            _POLICY_BODY,
            properties=_DATED,
            verb="is implemented by",
        ),
        RelType(
            "REVIEWED_BY",
            "The draft passed a review by the body.",
            ("Policy",),
            _POLICY_BODY,
            properties=_DATED,
            verb="was reviewed by",
        ),
        RelType(
            "SIGNED_BY",
            "The agreement was signed by the party.",
            ("Policy",),
            ("Country", "GovernmentBody"),
            properties=_DATED,
            verb="was signed by",
        ),
        RelType(
            "APPLIES_IN",
            "The policy applies in the place; max_stake when it caps foreign ownership there.",
            ("Policy",),
            _PLACE,
            properties=("date", "max_stake"),
            verb="applies in",
        ),
        RelType(
            "REGULATES",
            "The policy governs, or would open a business to, the target.",
            ("Policy",),
            ("Company", "PaymentService", "Platform"),
            properties=_DATED,
            verb="regulates",
        ),
        RelType(
            "LAUNCHED",
            "The source launched the target service, platform or programme.",
            ("GovernmentBody", "Company", "Platform"),
            ("Platform", "Policy", "LogisticsHub"),
            properties=("date", "amount", "currency"),
            verb="launched",
        ),
        RelType(
            "SERVES",
            "The platform serves the businesses of the target hub.",
            ("Platform",),
            ("LogisticsHub",),
            properties=_DATED,
            group="deal",
            verb="serves",
        ),
        RelType(
            "LOCATED_IN",
            "The source is located or headquartered in the target place.",
            ("Company", "Platform", "FinancialService", "LogisticsHub", "GovernmentBody", "City", "Province"),
            _PLACE,
            verb="is located in",
        ),
        RelType(
            "IN_TIER",
            "The city belongs to the city tier.",
            ("City",),
            ("CityTier",),
            verb="is in",
        ),
        RelType(
            "USES_ENTRY_MODE",
            "A Taiwanese firm's mode of entering the mainland e-commerce market (表四).",
            ("Company", "Platform"),
            ("BusinessModel",),
            verb="enters the market by",
        ),
        RelType(
            "RELIES_ON",
            "The business model depends on the target (a platform, a route, a licence).",
            ("BusinessModel",),
            ("Platform", "Policy", "PaymentService"),
            verb="relies on",
        ),
        RelType(
            "HOLDS",
            "The platform runs the shopping event.",
            ("Platform",),
            ("Event",),
            properties=_DATED,
            verb="holds",
        ),
        RelType(
            "PUBLISHED_BY",
            "The study was published by the organisation.",
            ("Study",),
            ("Company", "ResearchInstitute", "GovernmentBody"),
            properties=("date",),
            verb="was published by",
        ),
    )
}

# The types a chain of alliances follows (path) and brokers are measured on: equity and deals.
ALLIANCE_TYPES = tuple(r.name for r in REL_TYPES.values() if r.group in ("equity", "deal"))
# The kinds that make alliances; brokers are ranked among them by default.
ORGANISATION_KINDS = _ORG

ENTITY_FIELDS: tuple[Field, ...] = (
    Field("id", "id", "Stable ASCII id, lower-case words joined by '-' (alibaba, singapore-post).", True),
    Field("kind", "kind", "One entity kind; becomes the node label.", True),
    Field("name_en", "text", "English name (Hanyu Pinyin where the firm has no known English name).", True),
    Field("name_zh", "text", "Chinese name exactly as the seed writes it (Traditional).", True),
    Field("aliases", "list", "Other names, separated by '|' (Alibaba Group|阿里巴巴集團|阿里)."),
    Field("country", "region", "Country or region the entity belongs to; for a firm, platform, place … where it "
          "is, as its LOCATED_IN ties say (see Where an entity is).", True),
    Field("description", "text", "One line on what it is, in English.", True, free_text=True),
)

RELATIONSHIP_FIELDS: tuple[Field, ...] = (
    Field("from", "ref", "Id of the entity the relationship starts at.", True),
    Field("type", "reltype", "Relationship type.", True),
    Field("to", "ref", "Id of the entity the relationship ends at.", True),
    Field("stake", "fraction", "Equity stake as a fraction (10.35 % → 0.1035).", unit="fraction 0–1"),
    Field("max_stake", "fraction", "Ownership cap as a fraction (持股上限 55 % → 0.55).", unit="fraction 0–1"),
    Field("date", "date", "When the tie was made or stated: YYYY, YYYY-MM or YYYY-MM-DD.", unit="ISO 8601"),
    Field("year", "int", "Year of `date` (derived by the loader, not a column).", unit="year", derived=True),
    Field("amount", "number", "Money involved, in whole units of `currency` (30 億 → 3000000000).",
          unit="1 `currency`"),
    Field("currency", "currency", "ISO 4217 code of `amount` (CNY, USD, TWD)."),
    Field("count", "int", "A count the text gives for the tie (100,000 post offices; 15 cities).", unit="count_unit"),
    Field("count_unit", "text", "What `count` counts, plural English noun (post offices, cities)."),
    Field("description", "text", "Short English description of the tie as the text states it.", True,
          free_text=True),
    Field("source", "text", "Where the tie is stated: the seed section (貳.四), or your own citation.", True),
    Field("cited", "ref", "Id of the study or organisation the seed cites for it, if any."),
)

OBSERVATION_FIELDS: tuple[Field, ...] = (
    Field("subject", "ref", "Id of the entity the figure is about.", True),
    Field("metric", "metric", "snake_case name of what is measured (market_size, yoy_growth).", True),
    Field("period", "period", "When: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-H1/H2.", True),
    Field("value", "number", "The number, in `unit` (shares as fractions, money in whole units)."),
    Field("unit", "unit", "Unit of `value`."),
    Field("text", "text", "A qualitative value (表三's comparison cells); used instead of value/unit.",
          free_text=True),
    Field("basis", "basis", "actual, estimate or forecast.", True),
    Field("table", "text", "The seed table it comes from (表一 … 表四), empty for figures in the text."),
    Field("source", "text", "The seed section (貳.二.1), or your own citation.", True),
    Field("cited", "ref", "Id of the study or organisation the seed cites for it, if any."),
    Field("note", "text", "How the figure was read, where the text is ambiguous.", free_text=True),
)

REGIONS: tuple[str, ...] = (
    "Mainland China",
    "Taiwan",
    "Hong Kong",
    "United States",
    "Singapore",
    "Asia-Pacific",
    "North America",
    "Global",
)

# Where an entity is, said one way. The ``country`` column is the label ``show`` and the exports
# print; the LOCATED_IN ties say where an entity is, and validation keeps the two in step:
#
# - an entity of LOCATED_KINDS whose country is one of COUNTRY_IDS reaches, through LOCATED_IN
#   ties, a Country entity of that country (when the data holds one: with the shipped data, all
#   but Hong Kong; a folder read without it may hold none and need no ties): directly (a firm LOCATED_IN taiwan) or through a
#   place in it (yiwu-go LOCATED_IN yiwu, yiwu in zhejiang, zhejiang in mainland-china). Tie an
#   entity to the most precise place the source states; to ask for everything in a country,
#   follow the chain: ``MATCH (c)-[:LOCATED_IN*1..4]->(:Country {id: 'mainland-china'})``;
# - every LOCATED_IN tie joins two entities of the same country (a Country's country is itself),
#   so a chain never leaves the country its label states.
#
# The kinds that are somewhere: LOCATED_IN's sources. For the others (a market, a policy, a
# study, a product) ``country`` says which economy the thing belongs to, and nothing ties it.
LOCATED_KINDS: tuple[str, ...] = REL_TYPES["LOCATED_IN"].sources

# The regions that are one country or economy, and the id of its Country entity in the shipped
# data (a test holds graphdata/entities/places.csv to it; messages name these). Hong Kong has no
# entity there: until data defines the Country hong-kong, an entity in Hong Kong needs no tie.
# Asia-Pacific, North America and Global are areas of several countries: nothing ties to them.
COUNTRY_IDS: dict[str, str] = {
    "Mainland China": "mainland-china",
    "Taiwan": "taiwan",
    "Hong Kong": "hong-kong",
    "United States": "united-states",
    "Singapore": "singapore",
}

UNITS: dict[str, str] = {
    "fraction": "a share between 0 and 1 (18 % → 0.18)",
    "CNY": "yuan renminbi, whole units",
    "USD": "US dollars, whole units",
    "CNY/person/year": "yuan per user per year",
    "count": "a plain count",
    "days": "days",
    "mu": "畝 (Chinese land unit, ≈ 666.7 m²)",
    "m2": "square metres",
    "rank": "position in a ranking, 1 = first",
}

CURRENCIES: tuple[str, ...] = ("CNY", "USD", "TWD", "SGD", "HKD")

BASES: tuple[str, ...] = ("actual", "estimate", "forecast")

LIST_SEPARATOR = "|"

# Characters no cell may hold: the C0 controls (U+0000–U+001F), DEL and the C1 controls
# (U+007F–U+009F), and the noncharacters U+FFFE and U+FFFF. They are invisible in a spreadsheet,
# mostly the debris of a copy from a terminal or a PDF, and XML 1.0 (GraphML, GEXF, SVG) cannot
# hold most of them at all. Free-text fields may still hold FREE_TEXT_CHARACTERS: tab and
# line breaks (a value over several lines is a quoted cell).
FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
FREE_TEXT_CHARACTERS = "\t\n\r"

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?|-H[12]|-Q[1-4])?$")
METRIC_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Numbers as a cell writes them: plain decimals (no separators, no %), and whole numbers.
NUMBER_PATTERN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
INT_PATTERN = re.compile(r"^[+-]?\d+$")


# --- how the data sits in a graph database (LadybugDB or Neo4j) ---------------------------------
#
# Both stores hold the same graph: one node per entity, labelled with its kind; one relationship
# per tie, typed with its relationship type; and one ``Observation`` node per figure of tables/,
# hung from its subject by a ``HAS_OBSERVATION`` relationship. Every node of a label carries the
# same properties (unset ones are null), so queries read the same on both stores.


@dataclass(frozen=True)
class StoreProperty:
    """A property stored on nodes or relationships, with its LadybugDB type.

    ``neo4j_admin`` is the type suffix of a ``neo4j-admin database import`` CSV header.
    """

    name: str
    ladybug: str
    description: str

    @property
    def neo4j_admin(self) -> str:
        return {"STRING": "string", "DOUBLE": "double", "INT64": "long", "STRING[]": "string[]"}[self.ladybug]


# Every node ecograph pushes to Neo4j also carries this label, so ``--wipe`` can remove exactly
# ecograph's data and the id constraint covers entities and observations alike.
ENTITY_MARKER_LABEL = "Ecograph"
OBSERVATION_LABEL = "Observation"
OBSERVATION_REL = "HAS_OBSERVATION"

_LADYBUG_TYPES = {"fraction": "DOUBLE", "number": "DOUBLE", "int": "INT64", "list": "STRING[]"}


def _store_property(f: Field) -> StoreProperty:
    return StoreProperty(f.name, _LADYBUG_TYPES.get(f.type, "STRING"), f.description)


NODE_PROPERTIES: tuple[StoreProperty, ...] = (
    StoreProperty("id", "STRING", "The entity id (unique)."),
    StoreProperty("name", "STRING", "Display name: the English name (Neo4j Browser shows `name`)."),
    *(_store_property(f) for f in ENTITY_FIELDS if f.name not in ("id", "kind")),
)

RELATIONSHIP_PROPERTIES: tuple[StoreProperty, ...] = tuple(
    _store_property(f) for f in RELATIONSHIP_FIELDS if f.name not in ("from", "to", "type")
)

OBSERVATION_PROPERTIES: tuple[StoreProperty, ...] = (
    StoreProperty("id", "STRING", "subject/metric/period, with /2, /3 … when a figure repeats."),
    StoreProperty("name", "STRING", "Display name: the metric and period."),
    StoreProperty("subject", "STRING", "Id of the entity the figure is about."),
    *(_store_property(f) for f in OBSERVATION_FIELDS if f.name != "subject"),
    StoreProperty("year", "INT64", "Year of `period`."),
)


def columns(fields: tuple[Field, ...]) -> list[str]:
    """The CSV header for a record type: its non-derived fields, in order."""
    return [f.name for f in fields if not f.derived]


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return out


def _field_rows(fields: tuple[Field, ...]) -> list[list[str]]:
    return [
        [f"`{f.name}`", f.type, "yes" if f.required else ("derived" if f.derived else ""), f.unit, f.description]
        for f in fields
    ]


def _free_text_fields(model: Model) -> str:
    names = dict.fromkeys(
        f"`{f.name}`" for f in model.entity_fields + model.relationship_fields + model.observation_fields if f.free_text
    )
    return ", ".join(names)


def _location_lines(model: Model) -> list[str]:
    """The data model's section on LOCATED_IN ties and the ``country`` column."""
    return [
            "## Where an entity is",
            "",
            "`country` is the label `show` and the exports print; `LOCATED_IN` ties say where an entity",
            "is, and validation keeps them in step:",
            "",
            f"- an entity of kind {', '.join(model.located_kinds)} whose `country` is one country reaches",
            "  that country's `Country` entity through `LOCATED_IN` ties: directly, or through a place in",
            "  it (a platform in Yiwu, Yiwu in Zhejiang, Zhejiang in Mainland China). Tie it to the most",
            "  precise place the source states;",
            "- every `LOCATED_IN` tie joins two entities of the same `country`.",
            "",
            "So `MATCH (c:Company)-[:LOCATED_IN*1..4]->(:Country {id: 'taiwan'}) RETURN c` finds every",
            "company in Taiwan (`-[:LOCATED_IN]->` alone finds those tied to the country directly). The",
            "countries and their `Country` entities in the shipped data:",
            "",
            *_md_table(["`country`", "`Country` entity"], [[r, f"`{i}`"] for r, i in COUNTRY_IDS.items()]),
            "",
            "Hong Kong has no entity yet: until your data defines `hong-kong`, an entity there needs no tie.",
            "Read without the shipped data, the same holds for every country your data does not define.",
            f"{', '.join(r for r in REGIONS if r not in COUNTRY_IDS)} are areas of several countries: nothing",
            "ties to them. For the other kinds (markets, policies, studies, …) `country` says which",
            "economy the thing belongs to, and nothing ties it.",
        "",
    ]


def data_model_markdown(model: Model | None = None) -> str:
    """The human-readable data model (``graphdata/SCHEMA.md``), generated from this module, or
    the model of a data folder with its own ``schema.toml``."""
    model = model or SHIPPED
    lines = [
        "# ecograph data model",
        "",
        *(["Generated from `ecograph/data/schema.py` by `ecograph schema`; a test keeps this file in step.",
           "Do not edit by hand: change the schema and run `ecograph schema > graphdata/SCHEMA.md`."]
          if model.is_shipped else
          [f"Generated by `ecograph schema` from ecograph's vocabulary and {', '.join(model.sources)}",
           "(see the README, \"Map your own ecosystem\"): change the schema file, not this text."]),
        "",
        "## Files",
        "",
        "- `entities/*.csv` — one row per entity (a node; `kind` is its label).",
        "- `relationships/*.csv` — one row per tie (a directed, typed edge).",
        "- `tables/*.csv` — the report's figures (表一–表三 and numbers quoted in the text), one per row.",
        "",
        "All files are UTF-8 CSV with a header row; columns may come in any order and optional columns",
        f"may be left out. Lists (aliases) are separated by `{LIST_SEPARATOR}`. Empty cell = not stated.",
        "",
        "No cell may hold a control character (U+0000–U+001F, U+007F–U+009F) or U+FFFE/U+FFFF. Only",
        f"the free-text fields ({_free_text_fields(model)}) may hold tabs and line breaks;",
        "a value over several lines goes in double quotes. Every other field is one line.",
        "",
        "## Entity labels (kinds)",
        "",
        *_md_table(["Label", "What it is"], [[f"`{k.name}`", k.description] for k in model.kinds.values()]),
        "",
        "## Entity properties",
        "",
        *_md_table(["Property", "Type", "Required", "Unit", "Meaning"], _field_rows(model.entity_fields)),
        "",
        "## Relationship types",
        "",
        "Direction runs from the `from` column to the `to` column. Symmetric types are stored once and",
        "mean the same read either way. Every relationship may carry `description`, `source` and",
        "`cited`; the other properties apply only where listed. The group says what a tie is to a",
        "strategist; chains (`ecograph path`) and brokers (`rank --by betweenness`) follow the",
        "alliances, equity and deal, unless asked otherwise:",
        "",
        *[f"- {name}: {meaning}" for name, meaning in TIE_GROUPS.items()],
        "",
        *_md_table(
            ["Type", "Group", "From", "To", "Properties", "Meaning"],
            [
                [
                    f"`{r.name}`" + (" (symmetric)" if r.symmetric else ""),
                    r.group,
                    ", ".join(r.sources),
                    ", ".join(r.targets),
                    ", ".join(f"`{p}`" for p in r.properties) + (", `year`" if "date" in r.properties else ""),
                    r.description,
                ]
                for r in model.rel_types.values()
            ],
        ),
        "",
        "## Relationship properties",
        "",
        *_md_table(["Property", "Type", "Required", "Unit", "Meaning"], _field_rows(model.relationship_fields)),
        "",
        f"`cited` names an entity of kind {', '.join(model.citable_kinds) or 'no kind'}.",
        "",
        *(_location_lines(model) if "LOCATED_IN" in model.rel_types and "Country" in model.kinds else []),
        "## Observations (tables/*.csv)",
        "",
        *_md_table(["Column", "Type", "Required", "Unit", "Meaning"], _field_rows(model.observation_fields)),
        "",
        "## In a graph database (embedded LadybugDB and Neo4j)",
        "",
        "`ecograph query` and `ecograph neo4j push` hold the same graph. Each entity is a node",
        f"labelled with its kind; in Neo4j it also carries the label `{ENTITY_MARKER_LABEL}`, which",
        "`--wipe` removes and the id constraint covers. Each tie is a relationship of its type. Each",
        f"figure of `tables/` is an `{OBSERVATION_LABEL}` node, linked from its subject by",
        f"`{OBSERVATION_REL}`. Every node of a label has every property below, null where unset.",
        "",
        "Entity node properties:",
        "",
        *_md_table(["Property", "Type", "Meaning"], [[f"`{p.name}`", p.ladybug, p.description] for p in model.node_properties]),
        "",
        "Relationship properties (in Neo4j also `key`, `from|type|to|date`, the identity a push MERGEs on):",
        "",
        *_md_table(["Property", "Type", "Meaning"], [[f"`{p.name}`", p.ladybug, p.description] for p in model.relationship_properties]),
        "",
        f"`{OBSERVATION_LABEL}` node properties:",
        "",
        *_md_table(["Property", "Type", "Meaning"], [[f"`{p.name}`", p.ladybug, p.description] for p in model.observation_properties]),
        "",
        "## Vocabularies",
        "",
        "Units of `value`:",
        "",
        *_md_table(["Unit", "Meaning"], [[f"`{u}`", d] for u, d in model.units.items()]),
        "",
        f"Countries/regions: {', '.join(model.regions)}.",
        "",
        f"Currencies: {', '.join(model.currencies)}. Bases: {', '.join(BASES)}.",
        "",
    ]
    return "\n".join(lines)


# --- the model in force: the shipped vocabulary, extended or replaced by a data folder -----------
#
# A data folder may declare its own kinds, relationship types and properties in a schema file
# (:mod:`ecograph.data.schemafile`). The merged result is a :class:`Model`; every reader of the
# vocabulary (validation, the stores, the exports, the map, the analyses) takes it from the graph
# (:func:`model_of`) or from the data set, never from the module constants above, which describe
# the shipped vocabulary only (:data:`SHIPPED`).


@dataclass(frozen=True)
class Model:
    """A data model: kinds, relationship types, and the fields of each record type.

    :data:`SHIPPED` is the shipped one; :func:`ecograph.data.schemafile.read_model` merges a data
    folder's declarations into it. Everything else (allowed pairs, store properties, the
    alliance types) is derived from these fields.
    """

    kinds: dict[str, Kind]
    rel_types: dict[str, RelType]
    entity_fields: tuple[Field, ...]
    relationship_fields: tuple[Field, ...]
    observation_fields: tuple[Field, ...] = OBSERVATION_FIELDS
    regions: tuple[str, ...] = REGIONS
    units: dict[str, str] = field(default_factory=lambda: dict(UNITS))
    currencies: tuple[str, ...] = CURRENCIES
    citable_kinds: tuple[str, ...] = CITABLE_KINDS
    organisation_kinds: tuple[str, ...] = ORGANISATION_KINDS
    # How the map draws a declared kind: (colour, shape) where the schema file says.
    styles: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The schema files merged in, in order (empty for the shipped model).
    sources: tuple[str, ...] = ()

    @property
    def is_shipped(self) -> bool:
        return not self.sources

    @property
    def tie_groups(self) -> dict[str, str]:
        return TIE_GROUPS

    @property
    def alliance_types(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rel_types.values() if r.group in ("equity", "deal"))

    @property
    def located_kinds(self) -> tuple[str, ...]:
        rel = self.rel_types.get("LOCATED_IN")
        return rel.sources if rel is not None else ()

    @property
    def country_ids(self) -> dict[str, str]:
        return COUNTRY_IDS if "Country" in self.kinds else {}

    @property
    def optional_properties(self) -> frozenset[str]:
        """Relationship properties that apply only to the types listing them."""
        return frozenset(p for rel in self.rel_types.values() for p in rel.properties)

    @property
    def node_properties(self) -> tuple[StoreProperty, ...]:
        return (
            StoreProperty("id", "STRING", "The entity id (unique)."),
            StoreProperty("name", "STRING", "Display name: the English name (Neo4j Browser shows `name`)."),
            *(_store_property(f) for f in self.entity_fields if f.name not in ("id", "kind")),
        )

    @property
    def relationship_properties(self) -> tuple[StoreProperty, ...]:
        return tuple(_store_property(f) for f in self.relationship_fields if f.name not in ("from", "to", "type"))

    @property
    def observation_properties(self) -> tuple[StoreProperty, ...]:
        return OBSERVATION_PROPERTIES

    @property
    def labels(self) -> tuple[str, ...]:
        """Every node label of a store: the kinds and ``Observation``."""
        return (*self.kinds, OBSERVATION_LABEL)

    @property
    def types(self) -> tuple[str, ...]:
        """Every relationship type of a store: the declared ones and ``HAS_OBSERVATION``."""
        return (*self.rel_types, OBSERVATION_REL)

    def property_names(self) -> list[str]:
        """Every property a node or relationship of a store may hold, sorted."""
        groups = (self.node_properties, self.relationship_properties, self.observation_properties)
        return sorted({p.name for group in groups for p in group})

    def signature(self) -> str:
        """The model as text: any change to labels, types or stored properties changes it."""
        parts = [f"node:{k}" for k in self.kinds]
        parts += [f"rel:{r.name}:{r.sources}:{r.targets}" for r in self.rel_types.values()]
        for group in (self.node_properties, self.relationship_properties, self.observation_properties):
            parts += [f"prop:{p.name}:{p.ladybug}" for p in group]
        return "\n".join(parts)


SHIPPED = Model(dict(KINDS), dict(REL_TYPES), ENTITY_FIELDS, RELATIONSHIP_FIELDS)


def model_of(G: object) -> Model:
    """The model a graph was loaded with (``G.graph["model"]``), else the shipped one."""
    graph = getattr(G, "graph", None)
    model = graph.get("model") if isinstance(graph, dict) else None
    return model if isinstance(model, Model) else SHIPPED
