"""Printing problems the way users see them: one line each, then a summary."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from generator.catalogue.model import Problem


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(problems: Iterable[Problem], papers: int | None = None) -> str:
    problems = list(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    where = f" in {plural(papers, 'paper')}" if papers is not None else ""
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}{where}"


def print_problems(
    problems: Iterable[Problem],
    *,
    strict: bool = False,
    papers: int | None = None,
    stream: TextIO | None = None,
) -> bool:
    """Print problems sorted by file and line; return True if the run should fail."""
    stream = stream or sys.stderr
    problems = sorted(problems)
    for problem in problems:
        print(problem, file=stream)
    if problems or papers is not None:
        print(summary(problems, papers), file=stream)
    return any(p.severity == "error" or strict for p in problems)
