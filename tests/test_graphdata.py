"""Tests for ecograph.data.graphdata: reading, checking and building the graph, and ecograph.errors."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from ecograph.data import graphdata, schema
from ecograph.errors import AmbiguousEntityError, DataError, EcographError, EntityNotFoundError, Problem
from ecograph.data.graphdata import build_graph, load, read_graphdata

ENTITY_HEADER = "id,kind,name_en,name_zh,aliases,country,description"

# Seven entities on lines 2-8, so rows appended to this file start on line 9.
ENTITIES = f"""{ENTITY_HEADER}
alibaba,Company,Alibaba Group,阿里巴巴集團,Alibaba| 阿里 ,Mainland China,E-commerce group.
taobao,Platform,Taobao,淘寶網,,Mainland China,Consumer marketplace.
tmall,Platform,Tmall,天貓,,Mainland China,B2C marketplace.
alipay,PaymentService,Alipay,支付寶,,Mainland China,Third-party payment service.
mckinsey,ResearchInstitute,McKinsey Global Institute,麥肯錫全球研究院,,United States,Consultancy.
shanghai,City,Shanghai,上海,,Mainland China,City in eastern China.
ecommerce-law,Policy,E-commerce Law,電子商務法,,Mainland China,Draft law on e-commerce.
"""

E = "data/entities/e.csv"
R = "data/relationships/r.csv"
T = "data/tables/t.csv"

ALL_KINDS = (
    "Company, Platform, PaymentService, FinancialService, Product, City, Province, Country, CityTier, "
    "LogisticsHub, GovernmentBody, Policy, BusinessModel, Market, Event, ResearchInstitute, Study"
)
OWNS_ENDS = "OWNS goes from Company to Company, Platform, PaymentService or FinancialService"
NOT_CITABLE = "cannot be cited; cited must be a ResearchInstitute, Study, Company or GovernmentBody"


def csv_text(header: str, *rows: str) -> str:
    """A CSV file's text: the header, then the rows, each on its own line."""
    return "\n".join([header, *rows]) + "\n"


def rels(*rows: str, header: str = "from,type,to,date,description,source") -> str:
    """A relationships file."""
    return csv_text(header, *rows)


def obs(*rows: str, header: str = "subject,metric,period,value,unit,text,basis,source,cited") -> str:
    """An observations (tables) file."""
    return csv_text(header, *rows)


@pytest.fixture(autouse=True, params=["rows", "columnar first"])
def reader(request, monkeypatch):
    """Every test here runs twice: small files read row by row, and with the columnar path tried
    first, which must accept the same data and leave every problem to the row reader's words."""
    if request.param == "columnar first":
        monkeypatch.setattr(graphdata, "COLUMNAR_FROM_BYTES", 0)
    return request.param


@pytest.fixture
def problems(write_graphdata):
    """Write ``data/`` (with ENTITIES as entities/e.csv unless given) and return its problems."""

    def run(files: dict[str, str | bytes]) -> list[str]:
        data = write_graphdata({"entities/e.csv": ENTITIES, **files})
        try:
            read_graphdata([data])
        except DataError as e:
            return [str(p) for p in e.problems]
        return []

    return run


@pytest.fixture
def shipped(write_graphdata, monkeypatch):
    """A stand-in for the shipped data: ``graphdata/`` with ENTITIES and one relationship."""
    base = write_graphdata(
        {
            "entities/companies.csv": ENTITIES,
            "relationships/ownership.csv": rels("alibaba,OWNS,taobao,2003-05,Alibaba set up Taobao.,貳.一"),
        },
        name="graphdata",
    )
    monkeypatch.setattr(graphdata, "shipped_data_dir", lambda: base)
    return base


# --- errors ---------------------------------------------------------------------------------------


def test_problem_str_with_and_without_line():
    assert str(Problem("a/b.csv", 3, "kind", "bad kind")) == "a/b.csv:3: bad kind"
    assert str(Problem("a", None, None, "directory not found")) == "a: directory not found"


def test_data_error_lists_every_problem_one_per_line():
    found = [Problem("x.csv", 2, "id", "one"), Problem("y.csv", None, None, "two")]
    error = DataError(found)
    assert error.problems == found
    assert str(error) == "x.csv:2: one\ny.csv: two"
    assert pickle.loads(pickle.dumps(error)).problems == found


def test_error_tree_has_one_root():
    for cls in (DataError, EntityNotFoundError, AmbiguousEntityError):
        assert issubclass(cls, EcographError)
    error = AmbiguousEntityError("'ali' matches 2 entities", ["alibaba", "alipay"])
    assert (str(error), error.candidates) == ("'ali' matches 2 entities", ["alibaba", "alipay"])
    assert pickle.loads(pickle.dumps(error)).candidates == ["alibaba", "alipay"]


# --- encoding and CSV syntax -----------------------------------------------------------------------


def test_invalid_utf8_names_line_and_byte(problems):
    data = (ENTITY_HEADER + "\n").encode() + "alibaba,Company,Alibaba,阿里巴巴,,Mainland China,x\n".encode()
    data += "taobao,Platform,Taobao,淘寶網,,Mainland China,x\n".encode("big5")
    assert problems({"entities/e.csv": data}) == [f'{E}:3: not valid UTF-8 (byte 0xB2); save the file as "CSV UTF-8"']


def test_utf8_bom_is_accepted(write_graphdata):
    data = write_graphdata({"entities/e.csv": "\ufeff" + ENTITIES})
    assert read_graphdata([data]).entities["alibaba"]["kind"] == "Company"


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_wide_byte_order_mark(problems, encoding, name):
    assert problems({"entities/e.csv": ENTITIES.encode(encoding)}) == [
        f'{E}:1: file is {name} (byte-order mark found); save it as "CSV UTF-8"'
    ]


def test_utf16_without_byte_order_mark(problems):
    assert problems({"entities/e.csv": ENTITIES.encode("utf-16-le")}) == [
        f'{E}:1: contains NUL bytes; save the file as "CSV UTF-8"'
    ]


@pytest.mark.parametrize("delimiter, label", [(";", "';'"), ("\t", "tabs")])
def test_wrong_delimiter(problems, delimiter, label):
    assert problems({"entities/e.csv": ENTITIES.replace(",", delimiter)}) == [
        f"{E}:1: header is separated by {label}, expected ','"
    ]


@pytest.mark.parametrize("content", ["", "\n\n", " , \n"])
def test_empty_file(problems, content):
    assert problems({"entities/e.csv": content}) == [
        f"{E}: file is empty; expected the header id,kind,name_en,name_zh,aliases,country,description"
    ]


def test_unclosed_quote(problems):
    text = ENTITIES + 'yiwu,City,"Yiwu,義烏,,Mainland China,City.\nningbo,City,Ningbo,寧波,,Mainland China,City.\n'
    assert problems({"entities/e.csv": text}) == [
        f"{E}:9: a quoted value is never closed; a '\"' is missing from here on"
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_numbers_count_multiline_cells(problems, newline):
    text = newline.join(
        [
            ENTITY_HEADER,
            'alibaba,Company,Alibaba,阿里巴巴,,Mainland China,"First line,',
            'second line"',
            "taobao,Platfrom,Taobao,淘寶網,,Mainland China,Marketplace.",
            "",
        ]
    )
    assert problems({"entities/e.csv": text}) == [
        f"{E}:4: kind 'Platfrom' is not a known kind (did you mean 'Platform'?)"
    ]


# --- header ---------------------------------------------------------------------------------------


def test_unknown_and_missing_columns(problems):
    header = "id,kinds,name_en,name_zh,country,description,weight"
    text = csv_text(header, "yiwu,City,Yiwu,義烏,Mainland China,City.,9")
    assert problems({"entities/e.csv": text}) == [
        f"{E}:1: unknown column 'kinds' (did you mean 'kind'?)",
        f"{E}:1: unknown column 'weight'; expected columns: id, kind, name_en, name_zh, aliases, country, description",
        f"{E}:1: missing required column 'kind'",
    ]


def test_duplicate_unnamed_and_derived_columns(problems):
    assert problems(
        {
            "entities/e.csv": csv_text(ENTITY_HEADER + ",kind,"),
            "relationships/r.csv": rels(header="from,type,to,year,description,source"),
        }
    ) == [
        f"{E}:1: duplicate column 'kind' (columns 2 and 8)",
        f"{E}:1: column 9 has no name; name it or delete the column",
        f"{R}:1: column 'year' is computed by the loader; delete the column",
    ]


def test_columns_in_any_order_and_optional_columns_absent(write_graphdata):
    data = write_graphdata(
        {
            "entities/e.csv": ENTITIES,
            "relationships/r.csv": rels(
                "貳.一,Runs it.,taobao,alibaba,OWNS", header="source,description,to,from,type"
            ),
        }
    )
    [rel] = read_graphdata([data]).relationships
    assert rel == {
        "from": "alibaba",
        "type": "OWNS",
        "to": "taobao",
        "description": "Runs it.",
        "source": "貳.一",
        "origin": R + ":2",
    }


# --- rows -----------------------------------------------------------------------------------------


def test_row_with_more_cells_than_header(problems):
    # The unquoted comma shifts the cells; only the count is reported, not the shifted values.
    text = rels("alibaba,OWNS,taobao,2003,Runs Taobao, its marketplace,貳.一")
    assert problems({"relationships/r.csv": text}) == [
        f"{R}:2: row has 7 cells but the header has 6 columns; put values that contain ',' in double quotes"
    ]


def test_missing_required_fields(problems):
    assert problems(
        {
            "entities/e.csv": ENTITIES + "yiwu,City,Yiwu,,,Mainland China,City.\n",
            "relationships/r.csv": rels("alibaba,OWNS,taobao,2003,,"),
            "tables/t.csv": obs("alibaba,gmv,2014,1,CNY,,,貳.一,"),
        }
    ) == [
        f"{E}:9: name_zh is missing; required for an entity",
        f"{R}:2: description is missing; required for a relationship",
        f"{R}:2: source is missing; required for a relationship",
        f"{T}:2: basis is missing; required for an observation",
    ]


def test_blank_rows_are_skipped(write_graphdata):
    data = write_graphdata({"entities/e.csv": ENTITIES.replace("\ntaobao", "\n\n,,,,,,\ntaobao")})
    dataset = read_graphdata([data])
    assert len(dataset.entities) == 7
    assert dataset.entities["taobao"]["origin"] == E + ":5"


# --- characters -----------------------------------------------------------------------------------

YIWU = "yiwu,City,Yiwu,義烏,,Mainland China,City in Zhejiang."


@pytest.mark.parametrize(
    "files, message",
    [
        pytest.param(
            {"entities/e.csv": ENTITIES + YIWU.replace("Yiwu,", "Yi\x1bwu,") + "\n"},
            f"{E}:9: name_en contains the control character U+001B (ESC); remove it",
            id="C0 in an entity name",
        ),
        pytest.param(
            {"entities/e.csv": ENTITIES + YIWU.replace("義烏", "義\x7f烏") + "\n"},
            f"{E}:9: name_zh contains the control character U+007F (DEL); remove it",
            id="DEL",
        ),
        pytest.param(
            {"entities/e.csv": ENTITIES + YIWU.replace("City in", "City\x9b in") + "\n"},
            f"{E}:9: description contains the control character U+009B (CSI); remove it",
            id="C1 in a free-text field",
        ),
        pytest.param(
            {"entities/e.csv": ENTITIES + YIWU.replace("Zhejiang.", "Zhe\x0bjiang.") + "\n"},
            f"{E}:9: description contains the control character U+000B (VT); remove it",
            id="VT in a free-text field",
        ),
        pytest.param(
            {"entities/e.csv": ENTITIES + YIWU.replace(",,", ",Yiwu\ufffe|義烏,") + "\n"},
            f"{E}:9: aliases contains U+FFFE, which is not a character; remove it",
            id="U+FFFE in a list",
        ),
        pytest.param(
            {"relationships/r.csv": rels("alibaba,OWNS,taobao,2003,Runs\x07 Taobao.,貳.一")},
            f"{R}:2: description contains the control character U+0007 (BEL); remove it",
            id="BEL in a relationship",
        ),
        pytest.param(
            {"relationships/r.csv": rels("alibaba,OWNS,taobao,2003,Runs Taobao.,貳.\x85一")},
            f"{R}:2: source contains the control character U+0085 (NEL); remove it",
            id="C1 in a relationship",
        ),
        pytest.param(
            {"relationships/r.csv": rels("ali\x1bbaba,OWNS,taobao,2003,Runs Taobao.,貳.一")},
            f"{R}:2: from contains the control character U+001B (ESC); remove it",
            id="C0 in a reference, said once",
        ),
        pytest.param(
            {"tables/t.csv": obs("alibaba,gmv,2014,,,\x01big,actual,貳.一,")},
            f"{T}:2: text contains the control character U+0001 (SOH); remove it",
            id="C0 in an observation",
        ),
        pytest.param(
            {"tables/t.csv": obs("alibaba,gmv,2014,1,CNY,,actual,貳.一\uffff,")},
            f"{T}:2: source contains U+FFFF, which is not a character; remove it",
            id="U+FFFF in an observation",
        ),
        pytest.param(
            {"tables/t.csv": obs("alibaba,gmv,2014,1,CNY,,actual,貳.一,\x9f")},
            f"{T}:2: cited contains the control character U+009F (APC); remove it",
            id="C1 alone in a reference",
        ),
    ],
)
def test_control_characters_are_rejected_in_every_file(problems, files, message):
    assert problems(files) == [message]


def test_tabs_and_line_breaks_only_in_free_text(problems):
    text = ENTITIES + "\n".join(
        [
            'yiwu,City,"Yiwu\nCity",義烏,,Mainland China,City.',
            'ningbo,City,Ningbo\t,寧\t波,,Mainland China,City.',
            'wenzhou,City,"Wen\r\nzhou",溫州,,Mainland China,City.',
            "",
        ]
    )
    assert problems({"entities/e.csv": text}) == [
        f"{E}:9: name_en contains the control character U+000A (LF); keep name_en on one line",
        f"{E}:11: name_zh contains the control character U+0009 (TAB); write a space instead",
        f"{E}:12: name_en contains the control character U+000D (CR); keep name_en on one line",
    ]


def test_free_text_holds_tabs_and_quoted_line_breaks(write_graphdata):
    data = write_graphdata(
        {
            "entities/e.csv": ENTITIES + 'yiwu,City,Yiwu,義烏,,Mainland China,"Trade\tcity.\r\nIn Zhejiang."\n',
            "relationships/r.csv": rels('alibaba,OWNS,taobao,2003,"Set up\nTaobao.",貳.一'),
            "tables/t.csv": obs(
                'alibaba,gmv,2014,,,"big\tand\ngrowing",actual,貳.一,',
                header="subject,metric,period,value,unit,text,basis,source,note",
            ),
        }
    )
    dataset = read_graphdata([data])
    assert dataset.entities["yiwu"]["description"] == "Trade\tcity.\r\nIn Zhejiang."
    assert dataset.relationships[0]["description"] == "Set up\nTaobao."
    assert dataset.observations[0]["text"] == "big\tand\ngrowing"


def test_messages_escape_the_control_characters_they_quote(problems):
    # So that each problem stays on one line and no ESC reaches the terminal.
    assert problems(
        {
            "entities/e.csv": ENTITIES.replace("aliases", "alias\x1bes", 1),
            "tables/t.csv": obs('alibaba,gmv,2014,1,CNY,"big\ngrowing",actual,貳.一,'),
        }
    ) == [
        f"{E}:1: unknown column 'alias\\x1bes' (did you mean 'aliases'?)",
        f"{T}:2: value '1' and text 'big\\ngrowing' are both set; set only one of them",
    ]


def test_nothing_is_loaded_when_a_cell_holds_a_control_character(shipped):
    Path("data/entities").mkdir(parents=True)
    Path("data/entities/e.csv").write_text(csv_text(ENTITY_HEADER, "yiwu,City,Yiwu\x1b[31m,義烏,,Mainland China,x"))
    with pytest.raises(DataError) as info:
        load(["data"])
    assert str(info.value) == f"{E}:2: name_en contains the control character U+001B (ESC); remove it"


# --- entities -------------------------------------------------------------------------------------


def test_invalid_entity_values(problems):
    text = ENTITIES + "\n".join(
        [
            "Singapore Post,Company,Singapore Post,新加坡郵政,,Singapore,Postal service.",
            "jd,Compnay,JD.com,京東,,Mainland China,E-commerce company.",
            "tencent,Person,Tencent,騰訊,,Mainland China,Internet company.",
            "pchome,Company,PChome,網路家庭,,taiwan,Taiwanese e-commerce firm.",
            "yahoo,Company,Yahoo,雅虎,,China,Internet company.",
        ]
    )
    assert problems({"entities/e.csv": text}) == [
        f"{E}:9: id 'Singapore Post' is not a valid id; expected lower-case ASCII words joined by '-', "
        "such as 'singapore-post'",
        f"{E}:10: kind 'Compnay' is not a known kind (did you mean 'Company'?)",
        f"{E}:11: kind 'Person' is not a known kind; expected one of {ALL_KINDS}",
        f"{E}:12: country 'taiwan' is not a known region (did you mean 'Taiwan'?)",
        f"{E}:13: country 'China' is not a known region; expected one of Mainland China, Taiwan, Hong Kong, "
        "United States, Singapore, Asia-Pacific, North America, Global",
    ]


def test_duplicate_entity_id_in_one_file(problems):
    text = ENTITIES + "alibaba,Company,Alibaba,阿里,,Mainland China,Again.\n"
    assert problems({"entities/e.csv": text}) == [f"{E}:9: id 'alibaba' is already defined at {E}:2"]


def test_duplicate_entity_id_across_directories_names_shipped_file(shipped):
    Path("data/entities").mkdir(parents=True)
    Path("data/entities/e.csv").write_text(csv_text(ENTITY_HEADER, "alibaba,Company,A,阿,,Mainland China,x"))
    with pytest.raises(DataError) as info:
        load(["data"])
    assert str(info.value) == f"{E}:2: id 'alibaba' is already defined at graphdata/entities/companies.csv:2"


# --- relationships --------------------------------------------------------------------------------


def test_unknown_type(problems):
    assert problems({"relationships/r.csv": rels("alibaba,OWN,taobao,2003,d,s")}) == [
        f"{R}:2: type 'OWN' is not a known relationship type (did you mean 'OWNS'?)"
    ]


def test_unknown_entities(problems):
    text = rels(
        "alibaba,OWNS,alibabba,2003,d,s,",
        "nobody,OWNS,taobao,2003,d,s,",
        "alibaba,OWNS,tmall,2003,d,s,mckinsy",
        header="from,type,to,date,description,source,cited",
    )
    assert problems({"relationships/r.csv": text}) == [
        f"{R}:2: to 'alibabba' is not a known entity (did you mean 'alibaba'?)",
        f"{R}:3: from 'nobody' is not a known entity; define it in an entities/ file",
        f"{R}:4: cited 'mckinsy' is not a known entity (did you mean 'mckinsey'?)",
    ]


def test_cited_must_be_citable(problems):
    text = rels("alibaba,OWNS,taobao,2003,d,s,tmall", header="from,type,to,date,description,source,cited")
    assert problems({"relationships/r.csv": text}) == [f"{R}:2: cited 'tmall' (Platform) {NOT_CITABLE}"]


def test_endpoint_kinds(problems):
    text = rels("ecommerce-law,OWNS,taobao,2003,d,s", "alibaba,OWNS,shanghai,2003,d,s")
    assert problems({"relationships/r.csv": text}) == [
        f"{R}:2: OWNS cannot start at 'ecommerce-law' (Policy); {OWNS_ENDS}",
        f"{R}:3: OWNS cannot end at 'shanghai' (City); {OWNS_ENDS}",
    ]


def test_property_the_type_does_not_take(problems):
    text = rels(
        "alibaba,LOCATED_IN,shanghai,0.5,,d,s",
        "alibaba,PARTNERS_WITH,mckinsey,0.5,,d,s",
        "taobao,LOCATED_IN,shanghai,,300,d,s",  # no "currency is empty" on top
        header="from,type,to,stake,amount,description,source",
    )
    assert problems({"relationships/r.csv": text}) == [
        f"{R}:2: stake '0.5' does not apply to LOCATED_IN, which takes no optional properties",
        f"{R}:3: stake '0.5' does not apply to PARTNERS_WITH, which takes only date, count and count_unit",
        f"{R}:4: amount '300' does not apply to LOCATED_IN, which takes no optional properties",
    ]


@pytest.mark.parametrize(
    "stake, message",
    [
        ("10.35%", "stake '10.35%' is not a fraction between 0 and 1; write 10.35 % as 0.1035"),
        ("10.35 ％", "stake '10.35 ％' is not a fraction between 0 and 1; write 10.35 % as 0.1035"),
        ("35", "stake '35' is not a fraction between 0 and 1; write 35 % as 0.35"),
        ("150", "stake '150' is not a fraction between 0 and 1"),
        ("-0.2", "stake '-0.2' is not a fraction between 0 and 1"),
        ("half", "stake 'half' is not a fraction between 0 and 1; expected a number such as 0.1035 (10.35 %)"),
        ("0", None),
        ("0.1035", None),
        ("1", None),
    ],
)
def test_stake(problems, stake, message):
    text = rels(f"alibaba,OWNS,taobao,{stake},d,s", header="from,type,to,stake,description,source")
    assert problems({"relationships/r.csv": text}) == ([f"{R}:2: {message}"] if message else [])


def test_max_stake(problems):
    text = rels("ecommerce-law,APPLIES_IN,shanghai,55%,d,s", header="from,type,to,max_stake,description,source")
    assert problems({"relationships/r.csv": text}) == [
        f"{R}:2: max_stake '55%' is not a fraction between 0 and 1; write 55 % as 0.55"
    ]


@pytest.mark.parametrize(
    "date, message",
    [
        ("2014/05", "date '2014/05' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2014-13", "date '2014-13' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2014-02-30", "date '2014-02-30' is not a real calendar date"),
        ("2014", None),
        ("2014-05", None),
        ("2016-02-29", None),
    ],
)
def test_date(problems, date, message):
    text = rels(f"alibaba,OWNS,taobao,{date},d,s")
    assert problems({"relationships/r.csv": text}) == ([f"{R}:2: {message}"] if message else [])


@pytest.mark.parametrize(
    "amount, message",
    [
        ("30億", "amount '30億' is not a number; expected a plain number such as 3000000000 or 0.18"),
        ('"3,000,000"', "amount '3,000,000' is not a number; write it without separators: 3000000"),
        ("18%", "amount '18%' is not a number; write 18 % as 0.18"),
        ("3e9", None),
        ("3000000000", None),
        ("0.5", None),
    ],
)
def test_number(problems, amount, message):
    text = rels(f"alibaba,OWNS,taobao,{amount},CNY,d,s", header="from,type,to,amount,currency,description,source")
    assert problems({"relationships/r.csv": text}) == ([f"{R}:2: {message}"] if message else [])


@pytest.mark.parametrize(
    "count, message",
    [
        ("1e5", "count '1e5' is not a whole number in digits only; write it as 100000"),
        ('"100,000"', "count '100,000' is not a whole number in digits only; write it as 100000"),
        ("10.5", "count '10.5' is not a whole number"),
        ("many", "count 'many' is not a whole number; expected digits only, such as 15 or 100000"),
        ("100000", None),
    ],
)
def test_int(problems, count, message):
    text = rels(f"alibaba,OWNS,taobao,{count},cities,d,s", header="from,type,to,count,count_unit,description,source")
    assert problems({"relationships/r.csv": text}) == ([f"{R}:2: {message}"] if message else [])


def test_currency(problems):
    header = "from,type,to,date,amount,currency,description,source"
    text = rels("alibaba,OWNS,taobao,2003,1,RMB,d,s", "alibaba,OWNS,taobao,2004,1,cny,d,s", header=header)
    assert problems({"relationships/r.csv": text}) == [
        f"{R}:2: currency 'RMB' is not a known currency; expected one of CNY, USD, TWD, SGD, HKD",
        f"{R}:3: currency 'cny' is not a known currency (did you mean 'CNY'?)",
    ]


def test_fields_set_together(problems):
    header = "from,type,to,date,amount,currency,count,count_unit,description,source"
    text = rels(
        "alibaba,OWNS,taobao,2003,3000,,,,d,s",
        "alibaba,OWNS,taobao,2004,,CNY,,,d,s",
        "alibaba,OWNS,taobao,2005,,,15,,d,s",
        "alibaba,OWNS,taobao,2006,,,,cities,d,s",
        header=header,
    )
    assert problems({"relationships/r.csv": text}) == [
        f"{R}:2: amount '3000' is set but currency is empty; set both or neither",
        f"{R}:3: currency 'CNY' is set but amount is empty; set both or neither",
        f"{R}:4: count '15' is set but count_unit is empty; set both or neither",
        f"{R}:5: count_unit 'cities' is set but count is empty; set both or neither",
    ]


def test_duplicate_relationships(problems):
    text = rels(
        "alibaba,OWNS,taobao,2003,d,s",
        "alibaba,OWNS,taobao,2003,Stated again.,s",
        "alibaba,OWNS,taobao,2004,A later stake.,s",
        "alibaba,OWNS,tmall,,d,s",
        "alibaba,OWNS,tmall,,d,s",
        "taobao,INVESTED_IN,alibaba,2003,Not symmetric: no duplicate.,s",
    )
    other = rels("alibaba,OWNS,taobao,2004,d,s")
    assert problems({"relationships/r.csv": text, "relationships/s.csv": other}) == [
        f"{R}:3: relationship alibaba OWNS taobao dated 2003 is already defined at {R}:2",
        f"{R}:6: relationship alibaba OWNS tmall is already defined at {R}:5",
        f"data/relationships/s.csv:2: relationship alibaba OWNS taobao dated 2004 is already defined at {R}:4",
    ]


def test_symmetric_relationship_reversed_is_duplicate(problems):
    text = rels("alibaba,PARTNERS_WITH,mckinsey,2014,d,s", "mckinsey,PARTNERS_WITH,alibaba,2014,d,s")
    assert problems({"relationships/r.csv": text}) == [
        f"{R}:3: relationship mckinsey PARTNERS_WITH alibaba dated 2014 is already defined at {R}:2 "
        "as alibaba PARTNERS_WITH mckinsey (PARTNERS_WITH is symmetric)"
    ]


# --- observations ---------------------------------------------------------------------------------


def test_observation_problems(problems):
    text = obs(
        "alibaba,market_share,2014,0.18,,,actual,s,",
        "alibaba,market_share,2014,,fraction,,actual,s,",
        "alibaba,market_share,2014,0.18,fraction,high,actual,s,",
        "alibaba,market_share,2014,0.18,percent,,actual,s,",
        "alibaba,Market Share,2014,0.18,fraction,,guess,s,",
        "alibabba,market_share,2014,0.18,fraction,,actual,s,tmall",
        "alibaba,market_share,2014 H1,0.18,fraction,,actual,s,",
        "alibaba,market_share,2015-02-29,0.18,fraction,,actual,s,",
    )
    assert problems({"tables/t.csv": text}) == [
        f"{T}:2: value '0.18' is set but unit is empty; set both or neither",
        f"{T}:3: value and text are both empty; set one of them",
        f"{T}:3: unit 'fraction' is set but value is empty; set both or neither",
        f"{T}:4: value '0.18' and text 'high' are both set; set only one of them",
        f"{T}:5: unit 'percent' is not a known unit; expected one of fraction, CNY, USD, CNY/person/year, count, "
        "days, mu, m2, rank",
        f"{T}:6: metric 'Market Share' is not snake_case; expected lower-case ASCII words joined by '_', "
        "such as 'market_share'",
        f"{T}:6: basis 'guess' is not a known basis; expected one of actual, estimate, forecast",
        f"{T}:7: subject 'alibabba' is not a known entity (did you mean 'alibaba'?)",
        f"{T}:7: cited 'tmall' (Platform) {NOT_CITABLE}",
        f"{T}:8: period '2014 H1' is not a period; expected YYYY, YYYY-MM, YYYY-MM-DD, YYYY-H1, YYYY-H2 "
        "or YYYY-Q1 to YYYY-Q4",
        f"{T}:9: period '2015-02-29' is not a real calendar date",
    ]


# --- directories and the whole run ----------------------------------------------------------------


def test_directory_problems(write_graphdata):
    write_graphdata({}, name="empty")
    Path("file.csv").write_text("x\n")
    with pytest.raises(DataError) as info:
        read_graphdata(["missing", "empty", "file.csv"])
    assert str(info.value).splitlines() == [
        "missing: directory not found",
        "empty: no entities/, relationships/ or tables/ folder; expected a graphdata directory",
        "file.csv: is not a directory",
    ]


def test_all_problems_collected_in_file_order(problems):
    # The reference check of r.csv:2 runs after the field check of r.csv:3, yet sorts first.
    assert problems(
        {
            "entities/e.csv": ENTITIES + "yiwu,Town,Yiwu,義烏,,Mainland China,City.\n",
            "entities/f.csv": csv_text(ENTITY_HEADER, "ningbo,City,Ningbo,寧波,,Mainland,City."),
            "relationships/r.csv": rels("alibaba,OWNS,taobaoo,2003,d,s", "alibaba,OWNS,tmall,03,d,s"),
        }
    ) == [
        f"{E}:9: kind 'Town' is not a known kind; expected one of {ALL_KINDS}",
        "data/entities/f.csv:2: country 'Mainland' is not a known region (did you mean 'Mainland China'?)",
        f"{R}:2: to 'taobaoo' is not a known entity (did you mean 'taobao'?)",
        f"{R}:3: date '03' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD",
    ]


def test_problem_fields(write_graphdata):
    data = write_graphdata({"entities/e.csv": ENTITIES, "relationships/r.csv": rels("alibaba,OWNS,taobaoo,03,d,s")})
    with pytest.raises(DataError) as info:
        read_graphdata([data])
    assert [(p.path, p.line, p.field) for p in info.value.problems] == [(R, 2, "date"), (R, 2, "to")]


def test_read_graphdata_writes_nothing(write_graphdata):
    data = write_graphdata({"entities/e.csv": ENTITIES})
    before = sorted(Path(".").rglob("*"))
    read_graphdata([data])
    assert sorted(Path(".").rglob("*")) == before


def test_every_schema_field_type_has_a_parser():
    fields = schema.ENTITY_FIELDS + schema.RELATIONSHIP_FIELDS + schema.OBSERVATION_FIELDS
    assert {f.type for f in fields if not f.derived} <= set(graphdata._PARSERS)
    assert {f.name for f in fields if f.derived} <= set(graphdata.DERIVED)


# --- building the graph ---------------------------------------------------------------------------


def test_build_graph_types_attributes(write_graphdata):
    header = "from,type,to,stake,max_stake,date,amount,currency,count,count_unit,description,source,cited"
    data = write_graphdata(
        {
            "entities/e.csv": ENTITIES,
            "relationships/r.csv": rels(
                "alibaba,OWNS,alipay,0.35,,2014-08-12,3000000000,CNY,15,cities,Holds a stake.,貳.三,mckinsey",
                "ecommerce-law,APPLIES_IN,shanghai,,0.55,,,,,,Caps foreign ownership.,參.一,",
                header=header,
            ),
            "tables/t.csv": obs("alibaba,market_share,2014-H1,0.18,fraction,,estimate,貳.一,mckinsey"),
        }
    )
    G = build_graph(read_graphdata([data]))
    assert G.nodes["alibaba"] == {
        "kind": "Company",
        "name_en": "Alibaba Group",
        "name_zh": "阿里巴巴集團",
        "aliases": ["Alibaba", "阿里"],
        "country": "Mainland China",
        "description": "E-commerce group.",
        "origin": E + ":2",
    }
    assert G.nodes["taobao"]["aliases"] == []
    assert list(G.edges(keys=True, data=True)) == [
        (
            "alibaba",
            "alipay",
            0,
            {
                "type": "OWNS",
                "stake": 0.35,
                "date": "2014-08-12",
                "year": 2014,
                "amount": 3000000000.0,
                "currency": "CNY",
                "count": 15,
                "count_unit": "cities",
                "description": "Holds a stake.",
                "source": "貳.三",
                "cited": "mckinsey",
                "origin": R + ":2",
            },
        ),
        (
            "ecommerce-law",
            "shanghai",
            0,
            {
                "type": "APPLIES_IN",
                "max_stake": 0.55,
                "description": "Caps foreign ownership.",
                "source": "參.一",
                "origin": R + ":3",
            },
        ),
    ]
    assert type(G.edges["alibaba", "alipay", 0]["count"]) is int
    assert G.graph["observations"] == [
        {
            "subject": "alibaba",
            "metric": "market_share",
            "period": "2014-H1",
            "value": 0.18,
            "unit": "fraction",
            "basis": "estimate",
            "source": "貳.一",
            "cited": "mckinsey",
            "origin": T + ":2",
        }
    ]
    assert G.graph["data_dirs"] == ["data"]


def test_build_graph_keeps_parallel_edges(write_graphdata):
    data = write_graphdata(
        {
            "entities/e.csv": ENTITIES,
            "relationships/r.csv": rels("alibaba,OWNS,taobao,2003,d,s", "alibaba,OWNS,taobao,2014,d,s"),
        }
    )
    G = build_graph(read_graphdata([data]))
    assert [(k, d["year"]) for _, _, k, d in G.edges(keys=True, data=True)] == [(0, 2003), (1, 2014)]


def test_load_extends_shipped_data(shipped, write_graphdata):
    write_graphdata(
        {
            "entities/mine.csv": csv_text(
                ENTITY_HEADER, "pchome,Company,PChome Online,網路家庭,PChome|網家,Taiwan,Portal."
            ),
            "relationships/mine.csv": rels("pchome,PARTNERS_WITH,alibaba,2014-06,A partnership.,my notes"),
        },
        name="extra",
    )
    G = load(["extra"])
    assert "taobao" in G and G.nodes["pchome"]["aliases"] == ["PChome", "網家"]
    assert G.nodes["pchome"]["origin"] == "extra/entities/mine.csv:2"
    assert sorted((u, v, d["type"], d["year"]) for u, v, d in G.edges(data=True)) == [
        ("alibaba", "taobao", "OWNS", 2003),
        ("pchome", "alibaba", "PARTNERS_WITH", 2014),
    ]
    assert G.graph["data_dirs"] == [str(shipped), "extra"]


def test_load_does_not_read_shipped_data_twice(shipped):
    G = load([shipped])
    assert G.graph["data_dirs"] == [str(shipped)]
    assert G.number_of_edges() == 1


def test_load_replace_mode(shipped, write_graphdata):
    write_graphdata(
        {
            "entities/mine.csv": csv_text(ENTITY_HEADER, "pchome,Company,PChome,網路家庭,,Taiwan,Portal."),
            "relationships/mine.csv": rels("pchome,PARTNERS_WITH,alibaba,2014,d,s"),
        },
        name="extra",
    )
    with pytest.raises(DataError) as info:
        load(["extra"], include_shipped=False)
    assert str(info.value) == (
        "extra/relationships/mine.csv:2: to 'alibaba' is not a known entity; define it in an entities/ file"
    )
    Path("extra/relationships/mine.csv").unlink()
    G = load(["extra"], include_shipped=False)
    assert list(G.nodes) == ["pchome"]
    assert G.graph["data_dirs"] == ["extra"]


def test_shipped_data_dir_prefers_installed_copy(tmp_path, monkeypatch):
    import ecograph.data

    checkout = Path(ecograph.__file__).resolve().parent.parent / "graphdata"
    assert graphdata.shipped_data_dir() == checkout
    (tmp_path / "_data" / "graphdata").mkdir(parents=True)
    monkeypatch.setattr(ecograph.data, "PACKAGE", tmp_path)
    assert graphdata.shipped_data_dir() == tmp_path / "_data" / "graphdata"


def test_import_ecograph_is_cheap():
    code = "import sys, ecograph; assert 'networkx' not in sys.modules; print(ecograph.load.__module__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "ecograph.data.graphdata"


# --- where an entity is: country and LOCATED_IN --------------------------------------------------

PLACES = csv_text(
    ENTITY_HEADER,
    "mainland-china,Country,Mainland China,中國大陸,,Mainland China,Country.",
    "taiwan,Country,Taiwan,臺灣,,Taiwan,Country.",
    "zhejiang,Province,Zhejiang,浙江省,,Mainland China,Province.",
    "yiwu,City,Yiwu,義烏市,,Mainland China,City.",
    "yiwu-go,Platform,Yiwu Go,義烏購,,Mainland China,Platform.",
    "acme,Company,Acme,愛克米,,Taiwan,Firm.",
)
PLACED = rels(
    "zhejiang,LOCATED_IN,mainland-china,,Province,貳.二.2",
    "yiwu,LOCATED_IN,zhejiang,,City,貳.二.2",
    "yiwu-go,LOCATED_IN,yiwu,,Platform,貳.二.2",
    "acme,LOCATED_IN,taiwan,,Firm,Annual report",
)
NO_TIE = "has no LOCATED_IN tie to {} (or to a place in it); add one in relationships/"


def test_an_entity_is_in_its_country_directly_or_through_places_in_it(problems):
    assert problems({"entities/e.csv": PLACES, "relationships/r.csv": PLACED}) == []


def test_an_entity_without_the_tie_its_country_states_is_reported_at_its_row(problems):
    untied = PLACED.replace("acme,LOCATED_IN,taiwan,,Firm,Annual report\n", "")
    assert problems({"entities/e.csv": PLACES, "relationships/r.csv": untied}) == [
        f"{E}:7: country 'Taiwan' " + NO_TIE.format("taiwan")
    ]


def test_a_broken_chain_unplaces_everything_behind_it(problems):
    broken = PLACED.replace("zhejiang,LOCATED_IN,mainland-china,,Province,貳.二.2\n", "")
    assert problems({"entities/e.csv": PLACES, "relationships/r.csv": broken}) == [
        f"{E}:{line}: country 'Mainland China' " + NO_TIE.format("mainland-china") for line in (4, 5, 6)
    ]


def test_places_in_each_other_are_nowhere(problems):
    circle = PLACED.replace("zhejiang,LOCATED_IN,mainland-china,", "zhejiang,LOCATED_IN,yiwu,")
    assert problems({"entities/e.csv": PLACES, "relationships/r.csv": circle}) == [
        f"{E}:{line}: country 'Mainland China' " + NO_TIE.format("mainland-china") for line in (4, 5, 6)
    ]


def test_a_tie_to_a_place_in_another_country_is_reported_at_the_tie(problems):
    crossed = PLACED.replace("acme,LOCATED_IN,taiwan,", "acme,LOCATED_IN,yiwu,")
    assert problems({"entities/e.csv": PLACES, "relationships/r.csv": crossed}) == [
        f"{E}:7: country 'Taiwan' " + NO_TIE.format("taiwan"),
        f"{R}:5: to 'yiwu' is in Mainland China, but the country of acme is 'Taiwan' ({E}:7); "
        "tie it to a place in Taiwan or correct its country",
    ]
    # A place in the right country, labelled with another, breaks the chain where it changes.
    relabelled = PLACES.replace("yiwu,City,Yiwu,義烏市,,Mainland China", "yiwu,City,Yiwu,義烏市,,Taiwan")
    assert problems({"entities/e.csv": relabelled, "relationships/r.csv": PLACED}) == [
        f"{E}:5: country 'Taiwan' " + NO_TIE.format("taiwan"),
        f"{E}:6: country 'Mainland China' " + NO_TIE.format("mainland-china"),
        f"{R}:3: to 'zhejiang' is in Mainland China, but the country of yiwu is 'Taiwan' ({E}:5); "
        "tie it to a place in Taiwan or correct its country",
        f"{R}:4: to 'yiwu' is in Taiwan, but the country of yiwu-go is 'Mainland China' ({E}:6); "
        "tie it to a place in Mainland China or correct its country",
    ]


def test_user_entities_are_held_to_the_shipped_countries(write_graphdata):
    data = write_graphdata({"entities/e.csv": csv_text(
        ENTITY_HEADER,
        "acme,Company,Acme,愛克米,,Global,Multinational: no one country to tie it to.",
        "hk-trading,Company,HK Trading,港貿,,Hong Kong,No Country hong-kong is defined yet.",
        "tw-trading,Company,TW Trading,臺貿,,Taiwan,Taiwanese firm without its tie.",
        "market,Market,A market,市場,,Taiwan,Not a kind that is somewhere.",
    )})
    with pytest.raises(DataError) as info:
        read_graphdata([graphdata.shipped_data_dir(), data])
    assert [str(p) for p in info.value.problems] == [f"{E}:4: country 'Taiwan' " + NO_TIE.format("taiwan")]


def test_a_country_property_without_a_country_entity_needs_no_tie(problems):
    assert problems({"entities/e.csv": PLACES.replace("taiwan,Country,", "taiwan,City,")}) == [
        f"{E}:{line}: country 'Mainland China' " + NO_TIE.format("mainland-china") for line in (4, 5, 6)
    ]


def test_unlocated_walks_back_from_the_countries():
    entities = [("cn", "Country", "Mainland China"), ("sh", "City", "Mainland China"),
                ("x", "Company", "Mainland China"), ("y", "Company", "Mainland China"),
                ("m", "Market", "Mainland China"), ("g", "Company", "Global")]
    assert graphdata.unlocated(entities, [("sh", "cn"), ("x", "sh")]) == {"y"}
    assert graphdata.unlocated(entities[1:], []) == set()  # no Country entity of that country
