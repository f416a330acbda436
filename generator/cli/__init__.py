"""The ``papercat`` command (also ``python -m generator``): click commands, grouped.

A thin layer over the library: each command parses its options, calls one function
of the packages below and turns problems into ``FILE:LINE: field: message`` lines and
an exit status (0 clean, 1 content problems, 2 usage errors, click's convention).
The commands live in one module per group; this module only gathers them. Nothing
outside ``cli/`` imports it (import-linter, ``make lint``).
"""

from __future__ import annotations

import click

from generator.cli import arxiv, catalogue, site, sources


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """papercat: turn content/ (one YAML file per paper) into a searchable site."""


for _group in (catalogue, sources, site, arxiv):
    for _command in _group.COMMANDS:
        main.add_command(_command)


def run() -> None:
    """Entry point of ``python -m generator`` (``papercat`` calls ``main`` itself)."""
    main(prog_name="python -m generator")


__all__ = ["main", "run"]
