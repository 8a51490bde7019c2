"""The drills' summary: what every killed run left, printed at the end of the session."""

from __future__ import annotations

import json

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = []
    for report in terminalreporter.stats.get("passed", []):
        for key, value in getattr(report, "user_properties", ()):
            if key == "drill":
                outcomes = json.dumps(json.loads(value), ensure_ascii=False)
                lines.append(f"{report.nodeid.split('::')[-1]}: {outcomes}")
    if lines:
        terminalreporter.section("crash drills")
        for line in lines:
            terminalreporter.write_line(line)
