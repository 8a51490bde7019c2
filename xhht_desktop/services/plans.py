"""Plans: the presets shipped in ``forms/plans``, the user's own, and the active one.

Presets are read-only: a commune that wants other values copies one into its
data folder (``<data_dir>/forms/plans/<id>.toml``), then edits the copy. A
saved plan is checked by the same strict loader that reads the files, and
written atomically, so a plan file on disk always loads. The active plan
(what the dashboard shows) is a setting kept with the data, so a backup or
another computer shows the same targets.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from xhht_desktop.core.plans import (
    Plan,
    PlanDraft,
    check_draft,
    draft_of,
    header_comment,
    load_plan_text,
    load_plans,
    plan_files,
    plan_to_toml,
)
from xhht_desktop.errors import FieldIssue, NotFound, ValidationFailed
from xhht_desktop.forms import DefinitionProblem
from xhht_desktop.forms.loader import USER_FORMS_FOLDER
from xhht_desktop.resources import forms_dir
from xhht_desktop.store import app_settings
from xhht_desktop.store.files import write_atomically

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

ACTIVE_SETTING = "plans.active"
"""App setting: the id of the plan the dashboard checks."""
PLANS_FOLDER = "plans"
NATIONAL_PLAN = "qd-387-2025"
"""The default for a real commune: the national programme applies to every commune."""
DEMO_PLAN = "dak-song-138-2020"
"""The default for the demo commune, modelled on the communes the Đăk Song plan covered."""
PRESET_ORDER = ("dak-song-138-2020", "dong-trieu-2011", "qd-387-2025")

_CACHE: dict[
    tuple[Path, Path | None], tuple[object, tuple[list[Plan], list[DefinitionProblem]]]
] = {}


def preset_folder() -> Path:
    return forms_dir() / PLANS_FOLDER


def user_folder(data_dir: Path | None) -> Path | None:
    return None if data_dir is None else data_dir / USER_FORMS_FOLDER / PLANS_FOLDER


def current_plans(data_dir: Path | None) -> tuple[list[Plan], list[DefinitionProblem]]:
    """Every plan that loads and every problem, reloaded when a file changes."""
    presets, user = preset_folder(), user_folder(data_dir)
    files = plan_files(presets) + (plan_files(user) if user is not None else [])
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    cached = _CACHE.get((presets, user))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    loaded = load_plans(presets, user)
    _CACHE[(presets, user)] = (stamp, loaded)
    return loaded


def _read_only(plan: Plan) -> ValidationFailed:
    return ValidationFailed(
        [
            FieldIssue(
                "id",
                f"«{plan.title}» là kế hoạch mẫu, chỉ đọc. Hãy sao chép kế hoạch này rồi sửa "
                "bản sao.",
            )
        ]
    )


class PlanService:
    """List, choose, copy, edit and delete plans."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def _loaded(self) -> tuple[list[Plan], list[DefinitionProblem]]:
        return current_plans(self.context.settings.data_dir)

    def list(self) -> list[Plan]:
        """The presets (in a fixed order), then the user's plans by title."""
        plans = self._loaded()[0]
        order = {plan_id: index for index, plan_id in enumerate(PRESET_ORDER)}
        return sorted(
            plans,
            key=lambda p: (not p.preset, order.get(p.id, len(order)), p.title, p.id),
        )

    def problems(self) -> list[DefinitionProblem]:
        """Plan files that do not load, each mistake with its file, line and code."""
        return list(self._loaded()[1])

    def get(self, plan_id: str) -> Plan:
        """The plan ``plan_id``.

        Raises:
            NotFound: no plan of that id loads (see :meth:`problems`).
        """
        for plan in self._loaded()[0]:
            if plan.id == plan_id:
                return plan
        raise NotFound(
            f"Không có kế hoạch «{plan_id}». Lệnh 'xhht plans' liệt kê các kế hoạch; tệp "
            "kế hoạch có lỗi thì không được nạp."
        )

    def draft(self, plan_id: str) -> PlanDraft:
        """The editor's draft of a plan (numbers as text)."""
        return draft_of(self.get(plan_id))

    # -- the active plan ----------------------------------------------------------------

    def default_id(self) -> str:
        info = self.context.setup.installation()
        return DEMO_PLAN if info is not None and info.is_demo else NATIONAL_PLAN

    def active_id(self) -> str:
        """The id of the active plan: the chosen one while it loads, else the default."""
        with self.context.reading() as session:
            try:
                chosen = app_settings.read(session, ACTIVE_SETTING)
            except ValueError:
                chosen = None
        ids = {plan.id for plan in self._loaded()[0]}
        if isinstance(chosen, str) and chosen in ids:
            return chosen
        return self.default_id()

    def active(self) -> Plan:
        """The plan the dashboard checks."""
        return self.get(self.active_id())

    def activate(self, plan_id: str) -> Plan:
        """Make ``plan_id`` the active plan (the change is in the audit log).

        Raises:
            NotFound: no plan of that id loads.
        """
        self.context.require("manage_plans")
        plan = self.get(plan_id)
        with self.context.transaction() as session:
            app_settings.write(session, ACTIVE_SETTING, plan.id)
        return plan

    # -- the user's plans -----------------------------------------------------------------

    def _path(self, plan_id: str) -> Path:
        folder = user_folder(self.context.settings.data_dir)
        if folder is None:
            raise ValidationFailed([FieldIssue("id", "Không có thư mục dữ liệu để lưu kế hoạch.")])
        return folder / f"{plan_id}.toml"

    def copy(self, plan_id: str, new_id: str, title: str) -> Plan:
        """Copy a plan (a preset, usually) into the user's folder as an editable plan.

        Raises:
            NotFound: no plan ``plan_id``.
            ValidationFailed: the new id is taken or malformed, or the title empty.
        """
        self.context.require("manage_plans")
        original = self.get(plan_id)
        draft = draft_of(original)
        header = (
            f"# Bản sao của kế hoạch {original.id}@{original.version} («{original.title}»); "
            "sửa theo kế hoạch của địa phương.\n" + header_comment(original.text)
        )
        copy = replace(
            draft,
            id=new_id.strip(),
            title=title,
            copied_from=f"{original.id}@{original.version}",
        )
        return self._write(copy, header, new=True)

    def save(self, draft: PlanDraft) -> Plan:
        """Save an edited user plan (a new version), or a new one under a free id.

        Raises:
            ValidationFailed: a field or target is wrong (``row`` is the
                target's 1-based position), or the plan is a preset.
        """
        self.context.require("manage_plans")
        existing = next((p for p in self._loaded()[0] if p.id == draft.id.strip()), None)
        if existing is not None and existing.preset:
            raise _read_only(existing)
        header = header_comment(existing.text) if existing is not None else ""
        return self._write(draft, header, new=existing is None)

    def _write(self, draft: PlanDraft, header: str, *, new: bool) -> Plan:
        plan_id = draft.id.strip()
        existing = next((p for p in self._loaded()[0] if p.id == plan_id), None)
        if new and existing is not None:
            raise ValidationFailed(
                [FieldIssue("id", f"Đã có kế hoạch mã «{plan_id}»; hãy chọn mã khác.")]
            )
        version = existing.version + 1 if existing is not None else 1
        plan, issues = check_draft(draft, version=version)
        if plan is None:
            raise ValidationFailed(issues)
        text = plan_to_toml(plan, header)
        path = self._path(plan.id)
        checked, problems = load_plan_text(text, path)
        if checked is None:
            # The editor's checks and the loader's disagree: refuse rather than
            # write a file that would not load.
            raise ValidationFailed([FieldIssue("targets", str(p)) for p in problems])
        write_atomically(path, lambda handle: handle.write(text.encode("utf-8")))
        # A rewrite within the file system's time resolution keeps the stamp.
        _CACHE.clear()
        return self.get(plan.id)

    def delete(self, plan_id: str) -> None:
        """Delete a user plan; the active plan falls back to the default.

        Raises:
            NotFound: no plan ``plan_id``.
            ValidationFailed: it is a preset.
        """
        self.context.require("manage_plans")
        plan = self.get(plan_id)
        if plan.preset:
            raise _read_only(plan)
        assert plan.path is not None
        with self.context.transaction() as session:
            if app_settings.read(session, ACTIVE_SETTING) == plan.id:
                app_settings.write(session, ACTIVE_SETTING, self.default_id())
            plan.path.unlink()
        _CACHE.clear()
