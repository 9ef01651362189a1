"""A ready-to-edit data folder of one's own (``ecograph init``).

:func:`write_starter` writes a commented ``schema.toml`` (:mod:`ecograph.data.schemafile`), a
``dataset.toml`` (:mod:`ecograph.data.dataset`), example CSV files that validate as they stand,
and a README saying how to check and render the folder. It writes only into a folder that does
not exist yet or is empty: it never replaces a file.
"""

from __future__ import annotations

from pathlib import Path

from ecograph.data import schemafile
from ecograph.errors import OutputError
from ecograph.fileio import atomic_write_text

__all__ = ["write_starter"]

_DATASET = """\
# What this data set is: ecograph names it by this in titles, slide footers, the map's panel
# and `ecograph info`. A `source` cell of the CSV files is looked up in [sections].
title = "{title}"

[source]
# The work the data is drawn from (all optional).
title = "My notes"
authors = ""
publisher = ""
year = 2025
short = "My notes 2025"          # how a footer cites it

[sections]
"1" = {{ en = "First findings" }}
"""

_OWN_ENTITIES = """\
id,kind,name_en,name_zh,aliases,country,description,capacity_gwh
catl,Supplier,CATL,寧德時代,Contemporary Amperex,Mainland China,Battery cell maker.,400
lg-energy,Supplier,LG Energy Solution,,LGES,South Korea,Battery cell maker.,200
tesla,Automaker,Tesla,,,United States,Electric vehicle maker.,
volkswagen,Automaker,Volkswagen,,VW,Germany,Carmaker.,
hillhouse,Fund,Hillhouse Capital,高瓴資本,,Mainland China,Investment firm.,
"""

_OWN_RELATIONSHIPS = """\
from,type,to,stake,date,amount,currency,volume_gwh,description,source
catl,SUPPLIES,tesla,,2020,,,40,CATL supplies cells to Tesla.,1
lg-energy,SUPPLIES,tesla,,2019,,,30,LGES supplies cells to Tesla.,1
catl,SUPPLIES,volkswagen,,2018,,,20,CATL supplies cells to Volkswagen.,1
hillhouse,BACKS,catl,0.02,2020,6000000000,CNY,,Hillhouse joins CATL's share placement.,1
"""

_SHIPPED_ENTITIES = """\
id,kind,name_en,name_zh,aliases,country,description
hillhouse,Fund,Hillhouse Capital,高瓴資本,,Mainland China,Investment firm.
"""

_SHIPPED_RELATIONSHIPS = """\
from,type,to,stake,date,description,source
hillhouse,BACKS,alibaba,,2014,Hillhouse backs Alibaba (an example: replace it with your own).,1
"""

_TABLES = """\
subject,metric,period,value,unit,text,basis,table,source,cited,note
"""

_README = """\
# {title}

A data folder for ecograph: `schema.toml` declares its vocabulary (kinds, relationship types,
properties), `entities/` and `relationships/` hold the data, `tables/` any figures.

Check it, then draw it:

    ecograph validate --data {folder}{extra}
    ecograph render --data {folder}{extra} -o {name}.html
"""


def write_starter(directory: str | Path, *, from_shipped: bool = False) -> list[Path]:
    """Write a starter data folder at ``directory`` and return the files written.

    Its own vocabulary (kinds Supplier, Automaker, Fund; ties SUPPLIES, BACKS) to edit, or with
    ``from_shipped`` one that extends the shipped vocabulary and data. Raises
    :class:`~ecograph.errors.OutputError` if ``directory`` holds anything.
    """
    folder = Path(directory)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "is a file" if not folder.is_dir() else "is not empty"
        raise OutputError(f"{folder} {what}; a new data folder is written only where nothing is")
    name = folder.resolve().name or "ecosystem"
    files = {
        schemafile.FILE_NAME: schemafile.template(from_shipped=from_shipped),
        "dataset.toml": _DATASET.format(title=name.replace("-", " ").replace("_", " ").capitalize()),
        "entities/entities.csv": _SHIPPED_ENTITIES if from_shipped else _OWN_ENTITIES,
        "relationships/relationships.csv": _SHIPPED_RELATIONSHIPS if from_shipped else _OWN_RELATIONSHIPS,
        "tables/figures.csv": _TABLES,
        "README.md": _README.format(title=name, folder=directory, name=name,
                                    extra="" if from_shipped else " --no-shipped-data"),
    }
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)
        written.append(path)
    return written
