"""A data-entry user sees greyed out what the role may not do (the services refuse it anyway)."""

from __future__ import annotations

import pytest

from xhht_desktop.context import Actor
from xhht_desktop.services.users import NewUser
from xhht_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _log_in(context, role):
    user = context.users.create(NewUser(f"nguoi.{role}", "Hà Văn Tú", role, "matkhau-2026"))
    context.actor = Actor(user.username, user.role, user.id)


def test_a_data_entry_user_cannot_reach_what_the_role_may_not_do(context, show):
    _log_in(context, "data_entry")
    window = show(MainWindow(context))
    assert not window.settings_action.isEnabled()
    assert not window.restore_action.isEnabled()
    assert not window.plans_action.isEnabled()
    # Data entry is the role's work.
    assert window.import_action.isEnabled()
    assert window.backup_action.isEnabled()
    reports = window.page(window.page_actions.index(_action(window, "Báo cáo")))
    reports.refresh()
    assert not reports.sign_button.isEnabled()


def test_an_approver_plans_and_signs_but_does_not_administer(context, show):
    _log_in(context, "approver")
    window = show(MainWindow(context))
    assert window.plans_action.isEnabled()
    assert not window.settings_action.isEnabled()
    assert not window.restore_action.isEnabled()


def test_an_administrator_reaches_everything(context, show):
    window = show(MainWindow(context))
    for action in (
        window.settings_action,
        window.restore_action,
        window.plans_action,
        window.import_action,
    ):
        assert action.isEnabled(), action.text()


def _action(window, title):
    return next(a for a in window.page_actions if a.text().startswith(title))
