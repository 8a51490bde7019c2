"""Helpers for the forms tests: small definitions written inline.

Tests import nothing from here (tests are not a package); they use the
``inline`` fixture, whose methods load a dedented TOML text.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from xhht_desktop.forms import Definition, DefinitionProblem, load_text


class Inline:
    """Load definitions written in a test."""

    @staticmethod
    def toml(text: str) -> str:
        """Dedent so that the first line of the text is line 1."""
        return textwrap.dedent(text).lstrip("\n")

    def load(self, text: str) -> Definition:
        definition, problems = load_text(self.toml(text))
        assert problems == [], [str(p) for p in problems]
        assert definition is not None
        return definition

    def problems(self, text: str) -> list[DefinitionProblem]:
        definition, problems = load_text(self.toml(text))
        assert definition is None
        assert problems
        return problems

    def problem(self, text: str) -> DefinitionProblem:
        problems = self.problems(text)
        assert len(problems) == 1, [str(p) for p in problems]
        return problems[0]


@pytest.fixture
def inline() -> Inline:
    return Inline()


@pytest.fixture
def forms_root(tmp_path: Path) -> Path:
    """An empty definitions root with its ``criteria/`` folder."""
    root = tmp_path / "forms"
    (root / "criteria").mkdir(parents=True)
    return root
