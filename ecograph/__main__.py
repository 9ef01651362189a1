"""``python -m ecograph`` and the ``ecograph`` console script: run the click CLI of cli.py."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path


def _cli_module():
    try:
        return importlib.import_module("ecograph._cli")  # the wheel carries cli.py as ecograph/_cli.py
    except ModuleNotFoundError:  # a checkout or an editable install: cli.py sits beside the package
        path = Path(__file__).resolve().parent.parent / "cli.py"
        spec = importlib.util.spec_from_file_location("cli", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


def main() -> None:
    """Run the ecograph command line, its output filtered for the console (see ecograph.console)."""
    from ecograph.console import install_safe_streams

    install_safe_streams()
    _cli_module().main(prog_name="ecograph")


if __name__ == "__main__":
    main()
