"""Forms, criteria sets and aggregate forms as data (core: no Qt).

Definitions are TOML files under ``forms/`` (found through
:func:`xhht_desktop.resources.forms_dir`) and, later, under the user's data
folder. This package loads them strictly, validates records against them
and scores evaluations by a criteria set's own rules. Nothing here imports
Qt or touches the database: the UI renders :class:`Field` objects through
their :attr:`Field.type`, and the services store what :func:`score` returns
together with ``ScoreResult.definition`` (the set's id and version).

The public interface::

    definitions, problems = load_definitions()          # shipped forms/
    definitions, problems = load_definitions(shipped, user_folder)
    gdht = definitions.get("gdht-448")                  # latest version
    same = definitions.get("gdht-448", 1)               # as a record stored it

    issues = validate(definition, {"cu_tru": "tam_tru", "so_nguoi": "5"})
    result = score(gdht, {"tc1_1": 10, "tc1_2": "7,5", …})
    result.total, result.passed, result.reasons, result.definition

    text = copy_definition(gdht, "gdht-lam-dong", "Gia đình học tập (Lâm Đồng)")

Field types, one object each (``parse``, ``format``, ``coerce``, ``check``):
:data:`FIELD_TYPES`. Definition errors come from the catalogue in
:mod:`xhht_desktop.forms.problems` (codes F001–F040) with file and line.
"""

from xhht_desktop.forms.copies import copy_definition
from xhht_desktop.forms.definitions import (
    Criterion,
    Definition,
    DefinitionKey,
    Field,
    Indicator,
    Level,
    PassRule,
    Variant,
)
from xhht_desktop.forms.fieldtypes import FIELD_TYPES, FieldType, InvalidValue, format_number
from xhht_desktop.forms.loader import Definitions, load_definitions, load_file, load_text
from xhht_desktop.forms.problems import CATALOGUE, DefinitionProblem
from xhht_desktop.forms.scoring import CriterionScore, LineScore, ScoreResult, score
from xhht_desktop.forms.validation import CheckedRecord, check_record, validate

__all__ = [
    "CATALOGUE",
    "FIELD_TYPES",
    "CheckedRecord",
    "Criterion",
    "CriterionScore",
    "Definition",
    "DefinitionKey",
    "DefinitionProblem",
    "Definitions",
    "Field",
    "FieldType",
    "Indicator",
    "InvalidValue",
    "Level",
    "LineScore",
    "PassRule",
    "ScoreResult",
    "Variant",
    "check_record",
    "copy_definition",
    "format_number",
    "load_definitions",
    "load_file",
    "load_text",
    "score",
    "validate",
]
