"""The ``xhht`` command: everything the UI does, scriptable and headless.

Exit codes: 0 done, 1 the input or the data was refused (a Vietnamese
message says why), 2 the command line itself is wrong. The command line acts
as the operating-system user, and the audit log records it as such.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from xhht_desktop import __version__
from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.errors import (
    PermissionDenied,
    ReadOnlyDatabase,
    ValidationFailed,
    XhhtError,
)
from xhht_desktop.services.demo_setup import fill_demo
from xhht_desktop.settings import Settings, os_actor

if TYPE_CHECKING:
    from xhht_desktop.core.certificates import CertificateInfo
    from xhht_desktop.core.plans import Plan
    from xhht_desktop.core.recovery import RecoveryKey
    from xhht_desktop.exchange.merge import EntityChanges
    from xhht_desktop.services.consolidation import ConsolidatedPlan
    from xhht_desktop.services.exchange import PackageCheck
    from xhht_desktop.services.roster import ImportReport
    from xhht_desktop.services.signing import TokenStatus

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


# argparse's own messages, as officials should read them.
_ARGPARSE_MESSAGES = (
    (
        re.compile(r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)"),
        r"\1: lựa chọn không hợp lệ: \2 (chọn một trong: \3)",
    ),
    (
        re.compile(r"argument (\S+): invalid int value: (.*)"),
        r"\1: cần một số nguyên, không phải \2",
    ),
    (re.compile(r"argument (\S+): expected one argument"), r"\1: thiếu giá trị"),
    (re.compile(r"the following arguments are required: (.*)"), r"thiếu tham số bắt buộc: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"tham số không nhận ra: \1"),
)


def _vietnamese(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return message


class _Parser(argparse.ArgumentParser):
    """argparse with its own words in Vietnamese."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi cú pháp: {_vietnamese(message)}\n")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "Cách dùng:", 1)

    def format_help(self) -> str:
        return (
            super()
            .format_help()
            .replace("usage:", "Cách dùng:", 1)
            .replace("options:", "Tùy chọn:")
            .replace("positional arguments:", "Tham số:")
            .replace("show this help message and exit", "hiện hướng dẫn này rồi thoát")
        )


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _cmd_gui(args: argparse.Namespace, settings: Settings) -> int:
    from xhht_desktop.app import run_gui

    return run_gui(settings, smoke=args.smoke, demo=args.demo, open_file=args.open_file)


def _cmd_init(args: argparse.Namespace, context: AppContext) -> int:
    import os

    from xhht_desktop.services.setup import CommuneSetup, OfficeSetup
    from xhht_desktop.services.users import NewUser

    year = args.year or date.today().year
    # Only the variable: a set-up without it stays unencrypted (tests, scripts).
    password = os.environ.get("XHHT_PASSWORD") or None
    admin = (
        NewUser(args.admin_user, args.admin_name, "admin", password)
        if password is not None
        else None
    )
    if args.role == "commune":
        if not args.commune_code:
            return _usage("init --role commune cần --commune-code MÃ_XÃ")
        info = context.setup.init_commune(
            CommuneSetup(
                commune_code=args.commune_code,
                year=year,
                receiving_office=args.receiving_office or "",
                signer_name=args.signer_name or "",
                signer_title=args.signer_title or "Chủ tịch",
            ),
            admin=admin,
        )
    else:
        if not args.province_code or not args.office_name:
            return _usage("init --role office cần --province-code MÃ_TỈNH và --office-name TÊN")
        info = context.setup.init_office(
            OfficeSetup(
                province_code=args.province_code,
                office_name=args.office_name,
                office_code=args.office_code or "",
                year=year,
                signer_name=args.signer_name or "",
                signer_title=args.signer_title or "Trưởng phòng",
            ),
            admin=admin,
        )
    print(f"Đã thiết lập: {info.display_name}, năm báo cáo {info.year}.")
    if admin is not None:
        print(f"Người quản trị: {admin.username}.")
        # A server (PostgreSQL) protects its own data; a local file is
        # encrypted once it holds nothing but the installation and its
        # administrator, by the same path as an older database.
        if context.encryption.available() and not context.encryption.encrypted:
            recovery = context.encryption.encrypt(admin.username, admin.password)
            _print_recovery(recovery, info.display_name, args.recovery_sheet)
    return EXIT_OK


def _database_password() -> str | None:
    """The password of an encrypted database: ``XHHT_PASSWORD``, else asked, else ``None``."""
    import getpass
    import os

    password = os.environ.get("XHHT_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        return None
    return getpass.getpass("Mật khẩu mở dữ liệu: ") or None


def _unlocked_settings(db: str | None) -> tuple[Settings, str | None]:
    """The settings of ``--db``, and who unlocked them.

    An encrypted database is unlocked with a user's password
    (``XHHT_PASSWORD``; ``XHHT_USER`` names the user, else every user's key
    entry is tried); the command then acts as that user, with that user's
    role. A plain database has no such user: the command acts as the
    operating-system user.
    """
    import os

    from xhht_desktop.errors import DatabaseLocked
    from xhht_desktop.services import encryption

    settings = Settings.resolve(db)
    if not encryption.is_encrypted(settings):
        return settings, None
    password = _database_password()
    if password is None:
        raise DatabaseLocked()
    return encryption.unlock_as(settings, password, os.environ.get("XHHT_USER") or None)


def _actor(context: AppContext, username: str | None) -> Actor:
    """Who the command acts as: the user who unlocked the data, or the OS user."""
    if username is None:
        return context.actor
    user = context.users.by_username(username)
    if not user.active:
        raise PermissionDenied(f"Tài khoản «{username}» đã bị khóa.")
    return Actor(user.username, user.role, user.id)


def _print_recovery(recovery: RecoveryKey, unit_name: str, sheet: str | None) -> None:
    print("Dữ liệu đã được mã hóa. KHÓA KHÔI PHỤC (chép hoặc in ra, cất trong tủ của đơn vị):")
    print(f"  {' '.join(recovery.groups[:5])}")
    print(f"  {' '.join(recovery.groups[5:])}")
    print(
        "Mất cả mọi mật khẩu lẫn khóa khôi phục thì dữ liệu không thể đọc lại được nữa.",
    )
    if sheet:
        from xhht_desktop.reports import recovery_sheet

        recovery_sheet.write(Path(sheet), recovery, unit_name)
        print(f"Đã ghi tờ khóa khôi phục: {sheet}")


def _cmd_escrow(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.services.key_escrow import write_escrow

    written = write_escrow(context, Path(args.out))
    print(f"Đã ghi khóa gửi giữ (chỉ cơ quan nhận mở được): {written}")
    print("Hãy gửi tệp này cho cơ quan nhận cùng gói dữ liệu.")
    return EXIT_OK


def _cmd_escrow_open(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.services.key_escrow import open_escrow

    password = _key_password()
    if password is None:
        print(f"Lỗi: {_NO_PASSWORD}.", file=sys.stderr)
        return EXIT_REFUSED
    escrowed = open_escrow(context, Path(args.file), password)
    print(f"Khóa dữ liệu của {escrowed.unit_name} (mã {escrowed.unit_code}), ")
    print(f"gửi giữ ngày {escrowed.created:%d/%m/%Y}:")
    print(f"  {escrowed.key_text}")
    print(
        "Chỉ đọc khóa này cho chính người quản trị của xã; xã gõ khóa vào ô «Khóa khôi phục» "
        "khi mở dữ liệu bằng khóa khôi phục."
    )
    return EXIT_OK


def _cmd_encrypt(args: argparse.Namespace, context: AppContext) -> int:
    info = context.setup.require()
    if context.encryption.encrypted:
        print("Dữ liệu trên máy này đã được mã hóa.")
        return EXIT_OK
    password = _database_password()
    if password is None:
        print(
            "Lỗi: cần mật khẩu của người quản trị: đặt biến môi trường XHHT_PASSWORD, hoặc "
            "chạy lệnh trong cửa sổ dòng lệnh để nhập.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    recovery = context.encryption.encrypt(args.user, password)
    _print_recovery(recovery, info.display_name, args.recovery_sheet)
    others = context.encryption.keyless_users()
    if others:
        print(
            "Người dùng khác (" + ", ".join(others) + ") cần được người quản trị đặt lại mật "
            "khẩu trước khi đăng nhập lại."
        )
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, context: AppContext) -> int:
    summary = fill_demo(context, persons=args.persons, seed=args.seed, year=args.year)
    print(
        f"Đã tạo dữ liệu mẫu: {summary.villages} thôn, {summary.households} hộ, "
        f"{summary.persons} nhân khẩu."
    )
    if summary.entries:
        print(
            f"Mô hình học tập: {summary.clans} dòng họ, {summary.units} đơn vị, "
            f"{summary.entries} lượt đăng ký, {summary.decisions} quyết định công nhận, "
            f"{summary.aggregates} dòng biểu tổng hợp."
        )
    return EXIT_OK


def _cmd_info(args: argparse.Namespace, context: AppContext) -> int:
    info = context.setup.require()
    data = {
        "role": info.role,
        "commune_code": info.commune_code,
        "commune_name": info.commune_name,
        "province_code": info.province_code,
        "province_name": info.province_name,
        "office_name": info.office_name,
        "receiving_office": info.receiving_office,
        "year": info.year,
        "is_demo": info.is_demo,
        "counts": context.setup.counts(),
        "database": context.settings.database_url,
        "app_version": __version__,
    }
    if args.json:
        _print_json(data)
    else:
        counts = data["counts"]
        print(f"{info.display_name} — năm báo cáo {info.year}")
        print(
            f"Thôn/TDP: {counts['villages']}, hộ: {counts['households']}, "  # type: ignore[index]
            f"nhân khẩu: {counts['persons']}"
        )  # type: ignore[index]
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace, context: AppContext) -> int:
    context.setup.require()
    made = context.backups.create(Path(args.out) if args.out else None)
    print(f"Đã sao lưu vào: {made.path}")
    return EXIT_OK


def _cmd_backups(args: argparse.Namespace, context: AppContext) -> int:
    items = context.backups.list()
    if args.json:
        _print_json(
            [
                {
                    "path": str(b.path),
                    "created": b.created.isoformat(),
                    "reason": b.reason,
                    "size": b.size,
                }
                for b in items
            ]
        )
    else:
        for item in items:
            print(f"{item.created:%d/%m/%Y %H:%M:%S}  {item.reason:<16} {item.path}")
    return EXIT_OK


def _restore_newest(settings: Settings) -> int:
    """``restore --newest``: also the way out when the database is damaged."""
    from xhht_desktop.errors import DatabaseDamaged
    from xhht_desktop.store import health

    database = settings.database_file
    if database is None:
        return _usage("restore --newest chỉ dùng cho tệp dữ liệu SQLite")
    try:
        context = open_context(settings, Actor(os_actor()))
    except DatabaseDamaged as damaged:
        print(f"Tệp dữ liệu bị hỏng: {damaged.detail}", file=sys.stderr)
        recovery = health.recover(database, settings.backup_dir, settings.database_key)
        print(f"Đã chuyển tệp hỏng vào: {recovery.damaged} (giữ lại để gửi cơ quan cấp trên)")
        print(
            f"Đã khôi phục bản sao lưu ngày {recovery.restored.created:%d/%m/%Y %H:%M}: "
            f"{recovery.restored.path}"
        )
        print("Những gì nhập sau thời điểm đó cần nhập lại.")
        # Opening it upgrades a backup made by an older version.
        open_context(settings, Actor(os_actor())).close()
        return EXIT_OK
    try:
        if context.read_only:
            raise ReadOnlyDatabase()
        newest = health.newest_good_backup(database, settings.backup_dir, settings.database_key)
        args = argparse.Namespace(file=str(newest.path))
        return _cmd_restore(args, context)
    finally:
        context.close()


def _cmd_restore(args: argparse.Namespace, context: AppContext) -> int:
    if not args.file:
        return _usage("restore cần TỆP sao lưu, hoặc --newest")
    safety = context.backups.restore(Path(args.file))
    print(f"Đã khôi phục từ: {args.file}")
    if safety is not None:
        print(f"Dữ liệu trước khi khôi phục được giữ tại: {safety.path}")
    return EXIT_OK


def _cmd_literacy(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.core import ethnicity
    from xhht_desktop.core.literacy import LEVELS, SEX_ORDER

    info = context.setup.require()
    if info.role == "office":
        return _office_literacy(args, context)
    report = context.literacy.rates(args.year)
    if args.json:
        _print_json(report.as_dict())
        return EXIT_OK

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}%".replace(".", ",")

    sexes = {"all": "Chung", "male": "Nam", "female": "Nữ"}
    print(f"Tỷ lệ biết chữ năm {report.year} — {info.display_name}")
    header = (
        f"{'Độ tuổi':<9}{'Giới tính':<11}{'Số người':>9}{'Mức độ 1':>10}{'Tỷ lệ':>9}"
        f"{'Mức độ 2':>10}{'Tỷ lệ':>9}{'Miễn':>7}"
    )
    for code in (None, *report.ethnicities):
        group = ethnicity.by_code(code) if code else None
        title = "Tất cả các dân tộc" if code is None else f"Dân tộc {code}"
        title += f" – {group.name}" if group else ""
        print()
        print(title)
        print(header)
        for band in report.settings.report_bands():
            for sex in SEX_ORDER:
                one, two = (report.rate(band, lv, sex, code) for lv in LEVELS)
                print(
                    f"{band.label:<9}{sexes[sex]:<11}{one.counted:>9}{one.literate:>10}"
                    f"{pct(one.percent):>9}{two.literate:>10}{pct(two.percent):>9}{one.exempt:>7}"
                )
    print()
    print("Chuẩn xóa mù chữ của xã (Nghị định 20/2014/NĐ-CP):")
    for verdict, article in ((report.standards.level_1, 20), (report.standards.level_2, 21)):
        if verdict.met:
            outcome = "ĐẠT"
        elif verdict.counted == 0:
            outcome = "CHƯA ĐẠT (không có ai trong độ tuổi)"
        else:
            outcome = f"CHƯA ĐẠT, cần thêm {verdict.needed} người biết chữ"
        print(
            f"  Mức độ {verdict.level} (Điều {article}), độ tuổi {verdict.band.label}: "
            f"{verdict.literate}/{verdict.counted} = {pct(verdict.percent)} "
            f"(chuẩn {verdict.threshold_percent}%) — {outcome}"
        )
    if report.settings.difficult_area:
        print("  Xã có điều kiện kinh tế - xã hội đặc biệt khó khăn.")
    return EXIT_OK


def _office_literacy(args: argparse.Namespace, context: AppContext) -> int:
    """The office's literacy figures: each commune's verdicts and the share meeting each level."""
    info = context.setup.require()
    consolidated = context.consolidation.literacy(args.year or info.year)
    if args.json:
        _print_json(consolidated.as_dict())
        return EXIT_OK

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}%".replace(".", ",")

    print(f"Chuẩn xóa mù chữ năm {consolidated.year} — {info.display_name}")
    if not consolidated.per_commune:
        print("Chưa có số liệu của xã nào: hãy nhập gói dữ liệu của các xã.")
        return EXIT_OK
    print(f"{'Mã':<7}{'Xã, phường':<32}{'Mức độ 1 (Điều 20)':<30}Mức độ 2 (Điều 21)")
    for item in consolidated.per_commune:
        cells = []
        for verdict in (item.rates.standards.level_1, item.rates.standards.level_2):
            outcome = "ĐẠT" if verdict.met else "CHƯA ĐẠT"
            cells.append(
                f"{verdict.band.label}: {verdict.literate}/{verdict.counted} = "
                f"{pct(verdict.percent)} {outcome}"
            )
        print(f"{item.code:<7}{item.name:<32}{cells[0]:<30}{cells[1]}")
    print()
    print("Chuẩn của cơ quan tổng hợp (Nghị định 20/2014/NĐ-CP, Điều 20 và 21, khoản 2):")
    for share, article in ((consolidated.level_1, 20), (consolidated.level_2, 21)):
        outcome = "ĐẠT" if share.met else f"CHƯA ĐẠT, cần thêm {share.needed} xã đạt chuẩn"
        print(
            f"  Mức độ {share.level} (Điều {article}): {share.units_met}/{share.units} xã đạt = "
            f"{pct(share.percent)} (chuẩn {share.threshold_percent}%) — {outcome}"
        )
    return EXIT_OK


def _cmd_forms(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.forms.definitions import KINDS
    from xhht_desktop.forms.loader import definition_files, definition_roots, load_definitions

    if args.dir:
        roots = tuple(Path(folder) for folder in args.dir)
        missing = [str(root) for root in roots if not root.is_dir()]
        if missing:
            return _usage(f"không có thư mục {', '.join(missing)}")
    else:
        roots = definition_roots(context.settings.data_dir)
    definitions, problems = load_definitions(*roots)
    if args.list:
        items = sorted(definitions, key=lambda d: (d.kind, d.id, d.version))
        if args.json:
            _print_json(
                [
                    {
                        "id": d.id,
                        "version": d.version,
                        "kind": d.kind,
                        "model": d.model,
                        "subject": d.subject,
                        "title": d.title,
                        "file": str(d.path),
                    }
                    for d in items
                ]
            )
        else:
            for d in items:
                print(f"{d.id:<16} v{d.version:<3} {KINDS[d.kind]:<14} {d.title}")
        if problems:
            print(
                f"Có {len(problems)} lỗi trong các tệp định nghĩa; chạy 'xhht forms --check' "
                "để xem.",
                file=sys.stderr,
            )
        return EXIT_OK
    files = sum(len(definition_files(root)) for root in roots)
    if args.json:
        _print_json(
            {
                "folders": [str(root) for root in roots],
                "files": files,
                "definitions": len(definitions),
                "problems": [p.as_dict() for p in problems],
            }
        )
    else:
        for found in problems:
            print(found)
        verdict = f"{len(problems)} lỗi" if problems else "không có lỗi"
        print(f"Đã kiểm tra {files} tệp, {len(definitions)} định nghĩa hợp lệ: {verdict}.")
    return EXIT_REFUSED if problems else EXIT_OK


def _cmd_models(args: argparse.Namespace, context: AppContext) -> int:
    info = context.setup.require()
    report = context.learning_models.counts(args.year or info.year)
    if args.json:
        _print_json(report.as_dict())
        return EXIT_OK
    print(f"Mô hình học tập năm {report.year} — {info.display_name}")
    print(
        f"{'Mô hình':<30}{'Trong sổ':>10}{'Đăng ký':>10}{'Đánh giá':>10}{'Đạt':>8}{'Công nhận':>11}"
    )
    for item in report.models:
        print(
            f"{item.model.label:<30}{item.in_scope:>10}{item.registered:>10}"
            f"{item.evaluated:>10}{item.passed:>8}{item.recognised:>11}"
        )
    return EXIT_OK


def _cmd_template_registrations(args: argparse.Namespace, context: AppContext) -> int:
    if not args.model:
        return _usage("template registrations cần --model gdht|dhht|cdht|dvht")
    target = Path(args.out)
    try:
        context.registrations_roster.write_template(args.model, target, args.year)
    except OSError as exc:
        print(f"Lỗi: không ghi được tệp '{target}': {exc.strerror or exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Đã ghi tệp mẫu đăng ký, đánh giá «{args.model}»: {target}")
    print("Điền ngày đăng ký, điểm từng chỉ số và ngày đánh giá, rồi nhập bằng:")
    print(f"  xhht import registrations {target}")
    return EXIT_OK


def _cmd_import_registrations(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.errors import RosterRefused
    from xhht_desktop.services.roster import issues_as_dicts

    source = Path(args.file)
    errors_out = Path(args.errors_out) if args.errors_out else None
    if errors_out is not None and errors_out.resolve() == source.resolve():
        return _usage("--errors-out phải là một tệp khác tệp đang nhập")
    try:
        report = context.registrations_roster.import_registrations(
            source,
            model=args.model,
            year=args.year,
            dry_run=args.dry_run,
            valid_only=args.valid_only,
            errors_out=errors_out,
        )
    except RosterRefused as exc:
        print(exc.message if exc.invalid_rows else "Tệp bị từ chối, chưa lưu gì:", file=sys.stderr)
        for issue in exc.issues:
            print(f"  - {issue}", file=sys.stderr)
        if exc.errors_file:
            print(f"Danh sách lỗi đã lưu vào: {exc.errors_file}", file=sys.stderr)
        if args.json:
            _print_json(
                {
                    "file": str(source),
                    "refused": True,
                    "stored": False,
                    "rows": exc.rows,
                    "invalid_rows": exc.invalid_rows,
                    "issues": issues_as_dicts(exc.issues),
                }
            )
        return EXIT_REFUSED
    except OSError as exc:
        print(f"Lỗi: không ghi được tệp: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_REFUSED
    will = "sẽ " if report.dry_run else ""
    lines = [
        f"Tệp «{report.file.name}»: mô hình {report.model}, năm {report.year}, "
        f"{report.rows} dòng có số liệu."
    ]
    if report.dry_run:
        lines.append("Chạy thử: chưa lưu gì vào cơ sở dữ liệu.")
    lines.append(
        f"Đăng ký {will}lưu: {report.registered}; đánh giá {will}lưu: {report.evaluated}; "
        f"không thay đổi: {report.unchanged}"
    )
    if report.issues:
        lines.append(f"Bỏ qua {report.invalid_rows} dòng có lỗi:")
        lines.extend(f"  - {issue}" for issue in report.issues)
    if not report.dry_run:
        lines.append("Đã lưu.")
    if args.json:
        print("\n".join(lines), file=sys.stderr)
        _print_json({**report.as_dict(), "refused": False})
    else:
        print("\n".join(lines))
    return EXIT_OK


def _cmd_template(args: argparse.Namespace, context: AppContext) -> int:
    if args.kind == "registrations":
        return _cmd_template_registrations(args, context)
    target = Path(args.out)
    try:
        context.roster.write_template(target)
    except OSError as exc:
        print(f"Lỗi: không ghi được tệp '{target}': {exc.strerror or exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Đã ghi tệp mẫu danh sách nhân khẩu: {target}")
    print("Điền trang «Nhân khẩu» (xem trang «Hướng dẫn»), rồi nhập bằng:")
    print(f"  xhht import persons {target}")
    return EXIT_OK


def _import_summary(report: ImportReport) -> list[str]:
    will = "sẽ " if report.dry_run else ""
    lines = [f"Tệp «{report.file.name}», trang «{report.sheet}»: {report.rows} dòng dữ liệu."]
    if report.dry_run:
        lines.append("Chạy thử: chưa lưu gì vào cơ sở dữ liệu.")
    villages = report.villages_created
    lines.append(
        f"Thôn/tổ dân phố {will}tạo mới: {len(villages)}"
        + (f" ({', '.join(villages)})" if villages else "")
    )
    lines.append(
        f"Hộ gia đình {will}tạo mới: {report.households_created}; "
        f"{will}đổi chủ hộ: {report.households_updated}"
    )
    lines.append(
        f"Nhân khẩu {will}thêm mới: {report.persons_created}; {will}cập nhật: "
        f"{report.persons_updated}; không thay đổi: {report.persons_unchanged}"
    )
    if report.issues:
        lines.append(f"Bỏ qua {report.invalid_rows} dòng có lỗi:")
        lines.extend(f"  - {issue}" for issue in report.issues)
    if report.errors_file:
        lines.append(f"Danh sách lỗi (ô sai tô đỏ, cột «Lỗi») đã lưu vào: {report.errors_file}")
    if report.ignored_columns:
        lines.append("Các cột không đọc: " + ", ".join(report.ignored_columns))
    if not report.dry_run:
        lines.append("Đã lưu.")
    return lines


def _cmd_import(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.errors import RosterRefused
    from xhht_desktop.services.roster import issues_as_dicts

    if args.kind == "registrations":
        return _cmd_import_registrations(args, context)

    source = Path(args.file)
    errors_out = Path(args.errors_out) if args.errors_out else None
    if errors_out is not None and errors_out.resolve() == source.resolve():
        return _usage("--errors-out phải là một tệp khác tệp đang nhập")
    try:
        report = context.roster.import_persons(
            source, dry_run=args.dry_run, valid_only=args.valid_only, errors_out=errors_out
        )
    except RosterRefused as exc:
        # A refused file (unreadable, wrong headers) has one or two issues
        # that the message already carries; bad rows are counted, then listed.
        print(exc.message if exc.invalid_rows else "Tệp bị từ chối, chưa lưu gì:", file=sys.stderr)
        for issue in exc.issues:
            print(f"  - {issue}", file=sys.stderr)
        if exc.errors_file:
            print(
                f"Danh sách lỗi (ô sai tô đỏ, cột «Lỗi») đã lưu vào: {exc.errors_file}",
                file=sys.stderr,
            )
        if args.json:
            _print_json(
                {
                    "file": str(source),
                    "refused": True,
                    "dry_run": args.dry_run,
                    "stored": False,
                    "rows": exc.rows,
                    "invalid_rows": exc.invalid_rows,
                    "issues": issues_as_dicts(exc.issues),
                    "errors_file": exc.errors_file,
                }
            )
        return EXIT_REFUSED
    except OSError as exc:
        print(f"Lỗi: không ghi được tệp: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_REFUSED
    summary = "\n".join(_import_summary(report))
    if args.json:
        print(summary, file=sys.stderr)
        _print_json({**report.as_dict(), "refused": False})
    else:
        print(summary)
    return EXIT_OK


def _key_password(*, confirm: bool = False) -> str | None:
    """The key password: ``XHHT_KEY_PASSWORD``, else asked at the terminal, else ``None``."""
    import getpass
    import os

    password = os.environ.get("XHHT_KEY_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        return None
    password = getpass.getpass("Mật khẩu khóa ký số (hoặc mã PIN USB ký số): ")
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != password:
        print("Lỗi: hai lần nhập mật khẩu không khớp.", file=sys.stderr)
        return None
    return password


_NO_PASSWORD = (
    "cần mật khẩu khóa ký số: đặt biến môi trường XHHT_KEY_PASSWORD, hoặc chạy lệnh trong "
    "cửa sổ dòng lệnh để nhập"
)


def _certificate_lines(info: CertificateInfo) -> list[str]:
    from xhht_desktop.core.certificates import VIETNAM_TIME

    groups = info.fingerprint.split(" ")
    issuer = f"{info.issuer} (tự ký)" if info.self_signed else info.issuer
    return [
        f"  Tên (CN):       {info.common_name}",
        f"  Đơn vị (O):     {info.organization}",
        f"  Tỉnh (L):       {info.locality}",
        f"  Mã đơn vị:      {info.code}",
        f"  Cấp bởi:        {issuer}",
        f"  Khóa:           {info.key}",
        f"  Hiệu lực:       {info.not_before.astimezone(VIETNAM_TIME):%d/%m/%Y} đến "
        f"{info.not_after.astimezone(VIETNAM_TIME):%d/%m/%Y}",
        "  Vân tay SHA-256 (đối chiếu với bản in trên báo cáo đã ký):",
        "    " + " ".join(groups[:8]),
        "    " + " ".join(groups[8:]),
    ]


def _cmd_cert(args: argparse.Namespace, context: AppContext) -> int:
    service = context.signing
    if args.cert_command == "create":
        password = _key_password(confirm=True)
        if password is None:
            return _usage(_NO_PASSWORD)
        info = service.create_certificate(
            password, name=args.name, key_type=args.key_type, replace=args.replace
        )
        print(f"Đã tạo khóa và chứng thư ký số (tự ký) tại: {service.key_file}")
        print("\n".join(_certificate_lines(info)))
        return EXIT_OK
    if args.cert_command == "import":
        password = _key_password()
        if password is None:
            return _usage(_NO_PASSWORD)
        info = service.import_pkcs12(Path(args.file), password, replace=args.replace)
        print(f"Đã nhập chứng thư ký số vào: {service.key_file}")
        print("\n".join(_certificate_lines(info)))
        return EXIT_OK
    if args.cert_command == "token":
        return _cert_token(args, context)
    info = service.info()
    token = service.token_status()
    if args.json:
        _print_json(
            {
                "certificate": None if info is None else {**info.__dict__},
                "key_file": str(service.key_file) if info is not None else None,
                "token": {
                    "module": str(token.config.module) if token.config else None,
                    "module_found": token.module_found,
                    "library_installed": token.library_installed,
                    "usable": token.usable,
                },
            }
        )
    else:
        if info is None:
            print("Chưa có chứng thư ký số (tệp .p12) của đơn vị.")
        else:
            print(f"Chứng thư ký số của đơn vị (tệp {service.key_file}):")
            print("\n".join(_certificate_lines(info)))
        print(_token_line(token))
    return EXIT_OK if info is not None or token.usable else EXIT_REFUSED


def _token_line(token: TokenStatus) -> str:
    if token.config is None:
        return "USB ký số (PKCS#11): chưa cấu hình."
    if not token.module_found:
        return f"USB ký số: không tìm thấy thư viện PKCS#11 '{token.config.module}'."
    if not token.library_installed:
        return "USB ký số: bản cài đặt này thiếu gói python-pkcs11."
    return f"USB ký số: dùng thư viện '{token.config.module}' để ký (thay cho tệp .p12)."


def _cert_token(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.reports.signing import TokenConfig

    service = context.signing
    context.setup.require()
    if args.off:
        service.set_token(None)
    elif args.module:
        service.set_token(
            TokenConfig(
                module=Path(args.module),
                token_label=args.token_label,
                key_label=args.key_label,
            )
        )
    print(_token_line(service.token_status()))
    return EXIT_OK


def _parse_box(text: str | None) -> tuple[int, int, int, int] | None:
    if not text:
        return None
    parts = text.replace(";", ",").split(",")
    if len(parts) != 4 or not all(p.strip().lstrip("-").isdigit() for p in parts):
        raise ValueError(text)
    x1, y1, x2, y2 = (int(p) for p in parts)
    if x2 <= x1 or y2 <= y1:
        raise ValueError(text)
    return x1, y1, x2, y2


def _cmd_sign(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.reports.signing import StampImages, iso_time

    context.setup.require()
    try:
        box = _parse_box(args.box)
    except ValueError:
        return _usage("--box cần 4 số nguyên x1,y1,x2,y2 (điểm PDF, x1<x2, y1<y2)")
    images = None
    if args.signature_image or args.seal_image:
        stored = context.signing.stamp_images()
        images = StampImages(
            signature=Path(args.signature_image) if args.signature_image else stored.signature,
            seal=Path(args.seal_image) if args.seal_image else stored.seal,
        )
    password = _key_password()
    if password is None:
        return _usage(_NO_PASSWORD)
    identity = context.signing.load_identity(password)
    try:
        result = context.signing.sign(
            Path(args.file),
            identity,
            out=Path(args.out) if args.out else None,
            page=args.page,
            box=box,
            images=images,
        )
    except OSError as exc:
        print(f"Lỗi: không ghi được tệp: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        identity.close()
    if result.path == result.signed:
        print(f"Đã ký số: {result.path}")
    else:
        print(f"Đã ký số «{result.signed.name}»; chữ ký lưu tại: {result.path}")
    print(f"Người ký: {identity.info.common_name}; thời gian ký: {iso_time(result.signed_at)}")
    print(f"Vân tay chứng thư (SHA-256): {result.fingerprint}")
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.core.certificates import fingerprint
    from xhht_desktop.reports.signing import iso_time

    result = context.signing.verify(Path(args.file))
    own = {fingerprint(c) for c in context.signing.own_certificates()}
    if args.json:
        _print_json(
            {
                "file": str(result.path),
                "status": result.status.value,
                "intact": result.intact,
                "trusted": result.trusted,
                "signature_file": str(result.signature_file) if result.signature_file else None,
                "message": result.message,
                "signatures": [
                    {
                        "signer": check.signer.common_name,
                        "organization": check.signer.organization,
                        "code": check.signer.code,
                        "fingerprint": check.signer.fingerprint,
                        "signed_at": iso_time(check.signed_at) if check.signed_at else None,
                        "intact": check.intact,
                        "trusted": check.trusted,
                        "own": check.signer.fingerprint in own,
                        "problem": check.problem,
                    }
                    for check in result.signatures
                ],
            }
        )
    else:
        print(result.message)
        for number, check in enumerate(result.signatures, start=1):
            signer = check.signer
            where = ", ".join(x for x in (signer.organization, signer.locality) if x)
            code = f", mã {signer.code}" if signer.code else ""
            print(f"Chữ ký {number}:")
            print(f"  Người ký: {signer.common_name}" + (f" ({where}{code})" if where else ""))
            if check.signed_at is not None:
                print(f"  Thời gian ký (theo máy người ký): {iso_time(check.signed_at)}")
            print(f"  Vân tay chứng thư (SHA-256): {signer.fingerprint}")
            verdict = "nguyên vẹn" if check.intact else f"KHÔNG hợp lệ — {check.problem}"
            if check.signer.fingerprint in own:
                trust = "chứng thư của chính đơn vị này"
            elif check.trusted:
                trust = "chứng thư được tin cậy"
            else:
                trust = "chứng thư CHƯA được tin cậy trên máy này"
            print(f"  Kết quả: {verdict}; {trust}.")
    return EXIT_OK if result.ok else EXIT_REFUSED


def _add_signing_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cert = sub.add_parser("cert", help="chứng thư ký số của đơn vị: tạo, nhập, xem")
    cert_sub = cert.add_subparsers(
        dest="cert_command", metavar="VIỆC", parser_class=_Parser, required=True
    )
    create = cert_sub.add_parser(
        "create",
        help="tạo khóa và chứng thư tự ký (mật khẩu: XHHT_KEY_PASSWORD hoặc nhập khi được hỏi)",
    )
    create.add_argument(
        "--name", metavar="TÊN", help="tên trên chứng thư (mặc định: UBND <tên xã>)"
    )
    create.add_argument(
        "--key-type",
        choices=["rsa", "ec"],
        default="rsa",
        help="rsa: RSA 3072 bit (mặc định); ec: ECDSA P-256",
    )
    create.add_argument(
        "--replace", action="store_true", help="thay khóa đang có (chứng thư cũ vẫn được giữ)"
    )
    cert_import = cert_sub.add_parser(
        "import", help="nhập khóa và chứng thư từ tệp PKCS#12 (.p12/.pfx)"
    )
    cert_import.add_argument("file", metavar="TỆP.p12", help="tệp PKCS#12")
    cert_import.add_argument("--replace", action="store_true", help="thay khóa đang có")
    show = cert_sub.add_parser("show", help="xem chứng thư và vân tay SHA-256")
    show.add_argument("--json", action="store_true", help="in dạng JSON")
    token = cert_sub.add_parser("token", help="dùng USB ký số (PKCS#11) thay cho tệp .p12")
    token.add_argument("--module", metavar="THƯ_VIỆN", help="thư viện PKCS#11 của USB ký số")
    token.add_argument("--token-label", metavar="NHÃN", help="nhãn của USB ký số")
    token.add_argument("--key-label", metavar="NHÃN", help="nhãn của khóa trên USB")
    token.add_argument("--off", action="store_true", help="thôi dùng USB ký số")

    sign = sub.add_parser("sign", help="ký số một báo cáo PDF hoặc Excel")
    sign.add_argument("file", metavar="TỆP", help="tệp PDF (chữ ký PAdES) hoặc XLSX (tệp .sig)")
    sign.add_argument(
        "--out",
        metavar="TỆP",
        help="PDF: tệp đã ký (mặc định: ghi đè tệp gốc); XLSX: tệp chữ ký (mặc định TỆP.sig)",
    )
    sign.add_argument(
        "--page", type=int, default=-1, help="trang đặt dấu chữ ký (mặc định -1: trang cuối)"
    )
    sign.add_argument(
        "--box",
        metavar="x1,y1,x2,y2",
        help="khung dấu chữ ký, đơn vị điểm PDF (mặc định: góc dưới bên phải)",
    )
    sign.add_argument("--signature-image", metavar="ẢNH.png", help="ảnh chữ ký (màu xanh)")
    sign.add_argument("--seal-image", metavar="ẢNH.png", help="ảnh con dấu (màu đỏ)")

    verify = sub.add_parser(
        "verify", help="kiểm tra chữ ký số của tệp PDF hoặc Excel (tệp .sig bên cạnh)"
    )
    verify.add_argument("file", metavar="TỆP", help="tệp cần kiểm tra")
    verify.add_argument("--json", action="store_true", help="in dạng JSON")


def _cmd_report(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.services.reports import FORMATS

    fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        return _usage("cần --format pdf hoặc --format xlsx (hoặc tệp --out có đuôi .pdf/.xlsx)")
    issued = None
    if args.date:
        try:
            issued = datetime.strptime(args.date, "%d/%m/%Y").date()
        except ValueError:
            return _usage(
                f"--date cần ngày dạng ngày/tháng/năm (ví dụ 23/11/2026), không phải {args.date}"
            )
    kind = context.reports.kind(args.kind)  # a report not available yet: refused here
    identity = None
    if args.sign:
        # The password first: a wrong one should not cost the time of a long report.
        password = _key_password()
        if password is None:
            return _usage(_NO_PASSWORD)
        identity = context.signing.load_identity(password)
    try:
        made = context.reports.write(
            args.kind,
            Path(args.out),
            fmt,
            args.year,
            issued,
            options={"decision": args.decision, "plan": args.plan},
        )
        pages = f", {made.pages} trang" if made.pages else ""
        print(f"Đã ghi «{kind.title}» năm {made.year} ({FORMATS[fmt]}{pages}): {made.path}")
        if identity is not None:
            from xhht_desktop.reports.signing import iso_time

            result = context.signing.sign(
                made.path,
                identity,
                page=-1 if made.signature_page is None else made.signature_page,
                box=made.signature_box,
            )
            if result.path == result.signed:
                print(f"Đã ký số: {result.path}")
            else:
                print(f"Đã ký số; chữ ký lưu tại: {result.path}")
            print(
                f"Người ký: {identity.info.common_name}; thời gian ký: {iso_time(result.signed_at)}"
            )
    finally:
        if identity is not None:
            identity.close()
    return EXIT_OK


def _cli_date(text: str) -> date | None:
    """A date typed as 23/11/2026 (or 2026-11-23); ``None`` when it is neither."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _cmd_audit(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.reports.audit_log import action_label, entity_label, field_label, value_text
    from xhht_desktop.services.audit import AuditRow, period_value

    if args.record and (args.start or args.end):
        return _usage("--record in toàn bộ lịch sử của một hồ sơ; không dùng kèm --from/--to")
    if not args.record and not (args.start and args.end):
        return _usage("cần --record MÃ, hoặc cả --from NGÀY và --to NGÀY")
    start = end = None
    if not args.record:
        start, end = _cli_date(args.start), _cli_date(args.end)
        if start is None or end is None:
            wrong = args.start if start is None else args.end
            return _usage(f"ngày cần dạng ngày/tháng/năm (ví dụ 23/11/2026), không phải {wrong}")
    options = {"record": args.record, "period": period_value(start, end) if start and end else None}
    if args.out:
        fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
        if fmt not in ("pdf", "xlsx"):
            return _usage("cần --format pdf hoặc --format xlsx (hoặc tệp --out có đuôi .pdf/.xlsx)")
        made = context.reports.write("nhat-ky", Path(args.out), fmt, options=options)
        pages = f", {made.pages} trang" if made.pages else ""
        print(f"Đã ghi nhật ký thay đổi ({fmt.upper()}{pages}): {made.path}")
        return EXIT_OK
    # Without --out: the report's lines as a text table, for a look or a pipe.
    document = context.reports.document("nhat-ky", options=options)
    print(f"{document.kind}: {document.summary}")
    rows: list[AuditRow] = (
        context.audit.history(args.record.strip())
        if start is None or end is None
        else list(context.audit.iter_period(start, end))
    )
    whole = bool(args.record)  # a record's history lists the fields it was created with

    def cells(row: AuditRow) -> list[str]:
        shown = whole or row.action != "create"
        return [
            f"{row.at:%d/%m/%Y %H:%M:%S}",
            row.actor,
            f"{entity_label(row.entity)}: {row.record}",
            action_label(row.action),
            field_label(row.field) if shown else "",
            value_text(row.field, row.old_value) if shown else "",
            value_text(row.field, row.new_value) if shown else "",
        ]

    header = ["Thời gian", "Người thực hiện", "Hồ sơ", "Thao tác", "Trường", "Cũ", "Mới"]
    lines = [cells(row) for row in rows]
    widths = [
        min(40, max([len(h), *(len(line[i]) for line in lines)])) for i, h in enumerate(header)
    ]

    def cut(text: str, width: int) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    for line in [header, *lines]:
        print("  ".join(cut(c, w).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    print(f"({len(lines)} dòng)")
    return EXIT_OK


def _add_audit_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser(
        "audit",
        help="in nhật ký thay đổi: lịch sử một hồ sơ, hoặc mọi thay đổi trong một thời gian",
    )
    audit.add_argument("--record", metavar="MÃ", help="mã hồ sơ (nhân khẩu, hộ, thôn, …)")
    audit.add_argument("--from", dest="start", metavar="NGÀY/THÁNG/NĂM", help="từ ngày")
    audit.add_argument(
        "--to", dest="end", metavar="NGÀY/THÁNG/NĂM", help="đến ngày (kể cả ngày này)"
    )
    audit.add_argument(
        "--out", metavar="TỆP", help="ghi ra tệp PDF hoặc Excel (không có: in bảng ra màn hình)"
    )
    audit.add_argument(
        "--format", choices=["pdf", "xlsx"], help="pdf hoặc xlsx (mặc định: theo đuôi tệp --out)"
    )


def _add_report_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from xhht_desktop.services.reports import REPORT_KINDS

    report = sub.add_parser(
        "report", help="lập báo cáo, biểu mẫu theo thể thức Nghị định 30/2020/NĐ-CP (PDF, Excel)"
    )
    report.add_argument(
        "kind",
        choices=list(REPORT_KINDS),
        metavar="LOẠI",
        help="; ".join(f"{k.code}: {k.title}" for k in REPORT_KINDS.values()),
    )
    report.add_argument(
        "--year", type=int, metavar="NĂM", help="năm báo cáo (mặc định: năm báo cáo đã đặt)"
    )
    report.add_argument(
        "--format", choices=["pdf", "xlsx"], help="pdf hoặc xlsx (mặc định: theo đuôi tệp --out)"
    )
    report.add_argument("--out", required=True, metavar="TỆP", help="tệp sẽ ghi (ghi đè nếu có)")
    report.add_argument(
        "--date", metavar="NGÀY/THÁNG/NĂM", help="ngày của văn bản (mặc định: hôm nay)"
    )
    report.add_argument(
        "--decision",
        metavar="SỐ",
        help="quyet-dinh: số quyết định, ví dụ 15/QĐ-UBND (mặc định: quyết định mới nhất của năm)",
    )
    report.add_argument(
        "--plan",
        metavar="MÃ",
        help="ket-qua: mã kế hoạch, ví dụ dak-song-138-2020 (mặc định: kế hoạch đang dùng)",
    )
    report.add_argument(
        "--sign",
        action="store_true",
        help="ký số sau khi ghi (mật khẩu: XHHT_KEY_PASSWORD hoặc nhập khi được hỏi)",
    )


def _cmd_indicators(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.core.indicators import GROUPS, SCOPES, SOURCES, format_count
    from xhht_desktop.core.targets import Status, format_percent

    if args.list:
        items = context.indicators.registry()
        if args.json:
            _print_json(
                [
                    {
                        "code": i.code,
                        "label": i.label,
                        "group": i.group,
                        "unit": i.unit,
                        "scope": i.scope,
                        "source": i.source,
                        "form": i.form_id,
                        "parts": list(i.parts),
                        "numerator": i.numerator_label,
                        "denominator": i.denominator_label,
                    }
                    for i in items
                ]
            )
            return EXIT_OK
        for group, title in GROUPS.items():
            print(title)
            for i in (i for i in items if i.group == group):
                print(f"  {i.code:<36}{SCOPES[i.scope]:<22}{SOURCES[i.source]}")
                print(f"  {'':<36}{i.label}")
        return EXIT_OK
    info = context.setup.require()
    consolidated = None
    if info.role == "office" and args.village is None:
        # The office's figures: summed over its communes, each commune's too.
        consolidated = context.consolidation.evaluations(args.year or info.year, args.plan)
        evaluation = consolidated.total
    else:
        evaluation = context.indicators.evaluate(args.year or info.year, args.plan)
    village = args.village
    if village is not None and not any(
        v.village_id == village for row in evaluation.rows for v in row.villages
    ):
        print(f"Lỗi: không có thôn/tổ dân phố mã «{village}».", file=sys.stderr)
        return EXIT_REFUSED
    data = evaluation.as_dict(village) if consolidated is None else consolidated.as_dict()
    if args.json:
        _print_json(data)
        return EXIT_OK
    plan = evaluation.plan
    where = info.display_name
    if village is not None:
        where = f"{data['village']['name']} — {where}"
    print(f"{plan.title} — năm {evaluation.year} — {where}")
    print(f"({plan.document})")
    for row in data["targets"]:
        figure = "—"
        if row["denominator"] is not None:
            figure = f"{format_count(row['numerator'] or 0)}/{format_count(row['denominator'])}"
            if row["value"] is not None:
                figure += f" = {format_percent(Fraction(str(row['value'])))}%"
        target = evaluation.rows[row["position"] - 1].target.target.describe()
        print(f"{row['position']:>3}. {row['label']} (hạn {row['deadline']})")
        print(f"     {figure}; chỉ tiêu {target} — {row['status_label']}: {row['gap_text']}")
    shown = [Status(row["status"]) for row in data["targets"]]
    counted = ", ".join(f"{s.label}: {shown.count(s)}" for s in Status if shown.count(s))
    print(f"Tổng cộng {len(data['targets'])} chỉ tiêu — {counted}.")
    if consolidated is not None:
        print()
        print("\n".join(_commune_target_lines(consolidated)))
    return EXIT_OK


def _commune_target_lines(consolidated: ConsolidatedPlan) -> list[str]:
    """One line per commune: targets reached, and which are not (by their number)."""
    from xhht_desktop.core.targets import Status

    if not consolidated.communes:
        return ["Chưa có số liệu của xã nào: hãy nhập gói dữ liệu của các xã."]
    lines = [f"Từng xã ({len(consolidated.communes)} xã):"]
    for entry in consolidated.communes:
        rows = consolidated.per_commune[entry.code].rows
        reached = sum(1 for r in rows if r.check.status.reached)
        line = f"  {entry.code:<7}{entry.name:<32}đạt {reached}/{len(rows)}"
        missing = [str(r.position) for r in rows if r.check.status is Status.NOT_MET]
        empty = [str(r.position) for r in rows if r.check.status is Status.NO_DATA]
        if missing:
            line += f"; chưa đạt: CT {', '.join(missing)}"
        if empty:
            line += f"; chưa có số liệu: CT {', '.join(empty)}"
        lines.append(line)
    return lines


def _plan_dict(plan: Plan, active: str) -> dict[str, object]:
    return {
        "id": plan.id,
        "version": plan.version,
        "title": plan.title,
        "document": plan.document,
        "preset": plan.preset,
        "active": plan.id == active,
        "targets": len(plan.targets),
        "copied_from": plan.copied_from,
        "file": str(plan.path) if plan.path is not None else None,
    }


def _cmd_plans(args: argparse.Namespace, context: AppContext) -> int:
    service = context.plans
    plans, problems, active = service.list(), service.problems(), service.active_id()
    if args.json:
        _print_json(
            {
                "active": active,
                "plans": [_plan_dict(p, active) for p in plans],
                "problems": [p.as_dict() for p in problems],
            }
        )
    else:
        for plan in plans:
            mark = "*" if plan.id == active else " "
            kind = "mẫu" if plan.preset else "riêng"
            print(
                f"{mark} {plan.id:<24} v{plan.version:<3} {kind:<6} {plan.title} "
                f"({len(plan.targets)} chỉ tiêu)"
            )
        print("(* kế hoạch đang dùng; «mẫu»: chỉ đọc, hãy sao chép để sửa)")
        for found in problems:
            print(found, file=sys.stderr)
    return EXIT_REFUSED if args.check and problems else EXIT_OK


def _cmd_plan(args: argparse.Namespace, context: AppContext) -> int:
    service = context.plans
    if args.action == "activate":
        plan = service.activate(args.id)
        print(f"Đã chọn kế hoạch «{plan.title}» ({plan.id}).")
    elif args.action == "copy":
        plan = service.copy(args.id, args.new_id, args.title)
        print(f"Đã sao chép thành kế hoạch «{plan.title}» ({plan.id}): {plan.path}")
    elif args.action == "delete":
        service.delete(args.id)
        print(f"Đã xóa kế hoạch {args.id}.")
    else:
        plan = service.get(args.id)
        if args.json:
            data = _plan_dict(plan, service.active_id())
            data["targets"] = [
                {
                    "code": t.indicator,
                    "comparison": t.target.comparison.value,
                    "target": float(t.target.value),
                    "stretch": None if t.target.stretch is None else float(t.target.stretch),
                    "deadline": t.deadline,
                    "wording": t.wording,
                    "section": t.section,
                }
                for t in plan.targets
            ]
            _print_json(data)
            return EXIT_OK
        print(f"{plan.title} ({plan.id}, phiên bản {plan.version})")
        print(plan.document)
        for index, target in enumerate(plan.targets, start=1):
            print(
                f"{index:>3}. [{target.indicator}] {target.target.describe()}, hạn "
                f"{target.deadline}: {target.wording}"
            )
    return EXIT_OK


def _cmd_checks(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.services.data_checks import CHECKS

    info = context.setup.require()
    report = context.data_checks.run(args.year or info.year)
    if args.json:
        _print_json(report.as_dict())
        return EXIT_OK
    print(f"Kiểm tra dữ liệu năm {report.year} — {info.display_name}")
    counts = report.counts()
    for check, title in CHECKS.items():
        print(f"{title}: {counts[check]}")
        for item in report.of(check):
            print(f"  - {item.message}")
    total = len(report.problems)
    print(f"Tổng cộng {total} vấn đề." if total else "Không có vấn đề nào.")
    return EXIT_OK


# --------------------------------------------------------------- data packages


def _changes_lines(changes: Sequence[EntityChanges]) -> list[str]:
    lines = []
    for change in changes:
        parts = [
            f"{change.new} mới",
            f"{change.updated} sửa",
            f"{change.deleted} xóa",
            f"{change.unchanged} không đổi",
        ]
        if change.older:
            parts.append(f"{change.older} cũ hơn (bỏ qua)")
        lines.append(f"  {change.label}: " + ", ".join(parts))
    return lines


def _changes_json(changes: Sequence[EntityChanges]) -> dict[str, dict[str, int]]:
    return {change.entity: change.as_dict() for change in changes}


def _check_json(check: PackageCheck) -> dict[str, object]:
    manifest = check.manifest
    return {
        "file": str(check.path),
        "package_sha256": check.package_sha256,
        "encrypted": check.encrypted,
        "commune_code": manifest.commune_code,
        "commune_name": manifest.commune_name,
        "province_name": manifest.province_name,
        "year": manifest.year,
        "sequence": manifest.sequence,
        "created_at": manifest.created_at.isoformat(),
        "app_version": manifest.app_version,
        "schema_revision": manifest.schema_revision,
        "counts": dict(manifest.counts),
        "reports": list(check.reports),
        "signer": check.signer.common_name,
        "fingerprint": check.signer.fingerprint,
        "trusted": check.trusted,
        "trust_note": check.trust_note,
    }


def _check_lines(check: PackageCheck) -> list[str]:
    from xhht_desktop.core.certificates import VIETNAM_TIME

    manifest = check.manifest
    created = manifest.created_at.astimezone(VIETNAM_TIME)
    counts = ", ".join(f"{name} {count}" for name, count in manifest.counts.items())
    groups = check.signer.fingerprint.split(" ")
    return [
        f"Gói số {manifest.sequence} của {manifest.commune_name} (mã {manifest.commune_code}, "
        f"{manifest.province_name}), năm báo cáo {manifest.year}, lập lúc "
        f"{created:%H:%M ngày %d/%m/%Y}.",
        "Mã hóa: " + ("có" if check.encrypted else "KHÔNG"),
        f"Số bản ghi (kể cả bản ghi đã xóa): {counts}",
        f"Người ký: {check.signer.common_name}",
        "Vân tay chứng thư (SHA-256): " + " ".join(groups[:8]),
        "                             " + " ".join(groups[8:]),
        check.trust_note,
        f"Mã băm SHA-256 của tệp gói: {check.package_sha256}",
    ]


def _package_password(path: Path) -> str | None:
    """The key password when ``path`` is an encrypted package (it is needed to open it)."""
    from xhht_desktop.exchange import crypto

    try:
        with path.open("rb") as handle:
            encrypted = crypto.is_envelope(handle.read(len(crypto.MAGIC)))
    except OSError:
        return None
    import os

    return _key_password() if encrypted else os.environ.get("XHHT_KEY_PASSWORD") or None


def _cmd_export_package(args: argparse.Namespace, context: AppContext) -> int:
    password = _key_password()
    if password is None:
        return _usage(_NO_PASSWORD)
    result = context.exchange.export_package(
        Path(args.out),
        password,
        year=args.year,
        encrypt_to=Path(args.encrypt_to) if args.encrypt_to else None,
        reports=[Path(report) for report in args.report or ()],
    )
    if args.json:
        _print_json(
            {
                "file": str(result.path),
                "sequence": result.sequence,
                "year": result.year,
                "package_sha256": result.package_sha256,
                "size": result.size,
                "counts": result.counts,
                "encrypted_for": result.recipient,
                "recipient_fingerprint": result.recipient_fingerprint,
                "warnings": list(result.warnings),
            }
        )
        return EXIT_OK
    print(f"Đã ghi gói dữ liệu số {result.sequence}, năm {result.year}: {result.path}")
    print(f"  {result.size:,} byte; mã băm SHA-256: {result.package_sha256}".replace(",", "."))
    print("  Số bản ghi: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()))
    if result.recipient:
        print(f"  Đã mã hóa cho: {result.recipient} (và cho chính đơn vị này).")
    for warning in result.warnings:
        print(f"Cảnh báo: {warning}")
    print("Đã đọc lại và kiểm tra gói trên đĩa: an toàn để rút USB.")
    return EXIT_OK


def _cmd_verify_package(args: argparse.Namespace, context: AppContext) -> int:
    path = Path(args.file)
    check = context.exchange.verify_package(path, _package_password(path))
    if args.json:
        _print_json(_check_json(check))
    else:
        print("Gói nguyên vẹn: chữ ký số hợp lệ, mọi tệp khớp mã băm, dữ liệu đọc được.")
        print("\n".join(_check_lines(check)))
    return EXIT_OK if check.trusted else EXIT_REFUSED


def _cmd_import_package(args: argparse.Namespace, context: AppContext) -> int:
    path = Path(args.file)
    password = _key_password()
    if password is None and not args.dry_run:
        return _usage(_NO_PASSWORD + " (mở gói đã mã hóa và ký giấy biên nhận)")
    result = context.exchange.import_package(
        path, password, accept_fingerprint=args.accept_fingerprint, dry_run=args.dry_run
    )
    if args.json:
        _print_json(
            {
                **_check_json(result.check),
                "applied": result.applied,
                "changes": _changes_json(result.changes),
                "warnings": list(result.warnings),
                "receipt": str(result.receipt) if result.receipt else None,
                "receipt_problem": result.receipt_problem,
            }
        )
        return EXIT_OK
    print("\n".join(_check_lines(result.check)))
    print("Thay đổi so với dữ liệu trên máy này:" if result.applied else "Sẽ thay đổi:")
    print("\n".join(_changes_lines(result.changes)))
    for warning in result.warnings:
        print(f"Cảnh báo: {warning}")
    if not result.applied:
        print("Chạy thử: chưa lưu gì.")
        return EXIT_OK
    print("Đã nhập gói trong một giao dịch.")
    if result.receipt is not None:
        print(f"Đã ghi giấy biên nhận có chữ ký số: {result.receipt}")
    elif result.receipt_problem:
        print(f"Cảnh báo: chưa ghi được giấy biên nhận: {result.receipt_problem}")
    if result.reports_folder is not None:
        print(f"Các báo cáo kèm theo gói đã lưu tại: {result.reports_folder}")
    return EXIT_OK


def _cmd_export_cert(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.core.certificates import describe

    password = _key_password()
    if password is None:
        return _usage(_NO_PASSWORD)
    bundle = context.exchange.export_certificate(Path(args.out), password)
    print(f"Đã ghi tệp chứng thư (ký số và mã hóa) của đơn vị: {args.out}")
    print("\n".join(_certificate_lines(describe(bundle.signing))))
    print("Gửi tệp này cho các xã; xã nhập một lần bằng 'xhht trust-cert TỆP' sau khi đối chiếu")
    print("vân tay ở trên qua điện thoại hoặc văn bản giấy.")
    return EXIT_OK


def _cmd_trust_cert(args: argparse.Namespace, context: AppContext) -> int:
    partner = context.exchange.trust_certificate(Path(args.file))
    role = "cơ quan nhận gói" if partner.role == "office" else "xã gửi gói"
    print(f"Đã tin cậy chứng thư của {partner.name} (mã {partner.code}) là {role}.")
    print(f"  Vân tay chứng thư ký số (SHA-256): {partner.fingerprint_groups}")
    if partner.role == "office":
        print("Từ nay gói dữ liệu xuất ra được mã hóa cho cơ quan này.")
    print("Hãy chắc chắn vân tay trên khớp với vân tay cơ quan/xã đó cung cấp trên giấy.")
    return EXIT_OK


def _cmd_import_receipt(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.core.certificates import VIETNAM_TIME

    sent = context.exchange.import_receipt(
        Path(args.file), accept_fingerprint=args.accept_fingerprint
    )
    accepted = sent.receipt_accepted_at
    when = f" lúc {accepted.astimezone(VIETNAM_TIME):%H:%M ngày %d/%m/%Y}" if accepted else ""
    total = sum(
        counts.get(key, 0)
        for counts in sent.receipt_summary.values()
        for key in ("new", "updated", "deleted", "unchanged")
    )
    print(
        f"{sent.receipt_office} đã nhận gói số {sent.sequence} (năm {sent.year}){when}: "
        f"{total} bản ghi."
    )
    for warning in sent.receipt_warnings:
        print(f"  Ghi chú của cơ quan nhận: {warning}")
    return EXIT_OK


def _cmd_packages(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.core.certificates import VIETNAM_TIME

    info = context.setup.require()
    if info.role == "office":
        received = context.exchange.received()
        if args.json:
            _print_json([row.__dict__ for row in received])
            return EXIT_OK
        if not received:
            print("Chưa nhận gói dữ liệu nào.")
        for row in received:
            print(
                f"{row.commune_code} gói số {row.sequence} (năm {row.year}) nhận lúc "
                f"{row.imported_at.astimezone(VIETNAM_TIME):%H:%M %d/%m/%Y}"
            )
        return EXIT_OK
    sent = context.exchange.sent()
    if args.json:
        _print_json([row.__dict__ for row in sent])
        return EXIT_OK
    if not sent:
        print("Chưa xuất gói dữ liệu nào.")
    for row in sent:
        state = (
            f"{row.receipt_office} đã nhận"
            if row.accepted
            else ("chưa có giấy biên nhận" if row.status == "written" else "ghi dở, bỏ số này")
        )
        print(
            f"Gói số {row.sequence} (năm {row.year}), "
            f"{row.created_at.astimezone(VIETNAM_TIME):%H:%M %d/%m/%Y}, {row.file_name}: {state}"
        )
    return EXIT_OK


def _add_exchange_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser(
        "export-package", help="xuất gói dữ liệu .xhht (ký số, mã hóa) để mang lên cơ quan nhận"
    )
    export.add_argument(
        "--year", type=int, metavar="NĂM", help="năm báo cáo (mặc định: năm đã đặt)"
    )
    export.add_argument("--out", required=True, metavar="TỆP.xhht", help="tệp gói (ví dụ trên USB)")
    export.add_argument(
        "--encrypt-to",
        metavar="CHỨNG_THƯ",
        help="tệp chứng thư của cơ quan nhận (mặc định: chứng thư đã nhập bằng trust-cert)",
    )
    export.add_argument(
        "--report", action="append", metavar="TỆP", help="báo cáo đã ký gửi kèm; lặp lại được"
    )
    export.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    verify = sub.add_parser("verify-package", help="kiểm tra một gói dữ liệu .xhht, không nhập")
    verify.add_argument("file", metavar="TỆP.xhht", help="tệp gói")
    verify.add_argument("--json", action="store_true", help="in dạng JSON")

    import_package = sub.add_parser(
        "import-package", help="nhập gói dữ liệu của xã (cơ quan tổng hợp), ghi giấy biên nhận"
    )
    import_package.add_argument("file", metavar="TỆP.xhht", help="tệp gói")
    import_package.add_argument(
        "--dry-run", action="store_true", help="chỉ kiểm tra và cho biết sẽ thay đổi gì"
    )
    import_package.add_argument(
        "--accept-fingerprint",
        metavar="VÂN_TAY",
        help="vân tay chứng thư của xã, đã đối chiếu với báo cáo giấy (gói đầu tiên, hoặc khi "
        "xã thay khóa)",
    )
    import_package.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    export_cert = sub.add_parser(
        "export-cert", help="ghi tệp chứng thư của đơn vị (để xã mã hóa gói cho cơ quan này)"
    )
    export_cert.add_argument("--out", required=True, metavar="TỆP.pem", help="tệp sẽ ghi")

    trust = sub.add_parser(
        "trust-cert", help="tin cậy tệp chứng thư của cơ quan nhận (hoặc của một xã)"
    )
    trust.add_argument("file", metavar="TỆP.pem", help="tệp chứng thư")

    receipt = sub.add_parser(
        "import-receipt", help="nhập giấy biên nhận của cơ quan nhận cho một gói đã gửi"
    )
    receipt.add_argument("file", metavar="TỆP.receipt", help="tệp giấy biên nhận")
    receipt.add_argument(
        "--accept-fingerprint", metavar="VÂN_TAY", help="vân tay chứng thư của cơ quan nhận"
    )

    packages = sub.add_parser(
        "packages", help="các gói đã xuất (và giấy biên nhận) hoặc đã nhận (cơ quan)"
    )
    packages.add_argument("--json", action="store_true", help="in dạng JSON")


def _usage(message: str) -> int:
    print(f"xhht: lỗi cú pháp: {message}", file=sys.stderr)
    return EXIT_USAGE


# The roles as officials type them; the stored codes are accepted too.
_ROLE_WORDS = {"nhap_lieu": "data_entry", "phe_duyet": "approver", "quan_tri": "admin"}


def _new_password() -> str | None:
    """A user's new password: ``XHHT_NEW_PASSWORD``, else asked twice, else ``None``."""
    import getpass
    import os

    password = os.environ.get("XHHT_NEW_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        return None
    password = getpass.getpass("Mật khẩu mới của người dùng: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != password:
        print("Lỗi: hai lần nhập mật khẩu không khớp.", file=sys.stderr)
        return None
    return password or None


_NO_NEW_PASSWORD = (
    "cần mật khẩu mới: đặt biến môi trường XHHT_NEW_PASSWORD, hoặc chạy lệnh trong cửa sổ "
    "dòng lệnh để được hỏi"
)


def _cmd_user(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.services.users import ROLES, NewUser

    users = context.users
    if args.user_command == "list":
        keyless = set(context.encryption.keyless_users())
        rows = [
            {
                "username": u.username,
                "full_name": u.full_name,
                "role": u.role,
                "active": u.active,
                "needs_new_password": u.username in keyless,
            }
            for u in users.list()
        ]
        if args.json:
            _print_json(rows)
            return EXIT_OK
        if not rows:
            print("Chưa có người dùng nào.")
            return EXIT_OK
        print(f"{'Tên đăng nhập':<20} {'Họ và tên':<28} {'Vai trò':<24} Trạng thái")
        for row in rows:
            state = "đang dùng" if row["active"] else "đã khóa"
            if row["needs_new_password"]:
                state += ", chưa đặt mật khẩu mới sau khi mã hóa"
            print(f"{row['username']:<20} {row['full_name']:<28} {ROLES[row['role']]:<24} {state}")
        return EXIT_OK
    if args.user_command == "add":
        password = _new_password()
        if password is None:
            return _usage(_NO_NEW_PASSWORD)
        role = _ROLE_WORDS.get(args.role, args.role)
        created = users.create(NewUser(args.name, args.full_name, role, password))
        print(f"Đã thêm người dùng {created.username} ({ROLES[created.role]}).")
        return EXIT_OK
    user = users.by_username(args.name)
    if args.user_command == "passwd":
        password = _new_password()
        if password is None:
            return _usage(_NO_NEW_PASSWORD)
        users.reset_password(user.id, password)
        print(f"Đã đặt mật khẩu mới cho {user.username}.")
    elif args.user_command == "disable":
        users.deactivate(user.id)
        print(f"Đã khóa tài khoản {user.username}: người này không đăng nhập được nữa.")
    else:
        users.reactivate(user.id)
        print(f"Đã mở khóa tài khoản {user.username}.")
        if user.username in context.encryption.keyless_users():
            print(
                f"Dữ liệu đã mã hóa: hãy đặt mật khẩu mới (xhht user passwd {user.username}) "
                "trước khi người này đăng nhập."
            )
    return EXIT_OK


def _add_user_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser(
        "user",
        help="người dùng: xem, thêm, đặt mật khẩu, khóa, mở khóa (chỉ người quản trị; "
        "dữ liệu đã mã hóa: mật khẩu người quản trị trong XHHT_PASSWORD)",
    )
    user_sub = user.add_subparsers(
        dest="user_command", metavar="VIỆC", required=True, parser_class=_Parser
    )
    listing = user_sub.add_parser("list", help="liệt kê người dùng")
    listing.add_argument("--json", action="store_true", help="in dạng JSON")
    add = user_sub.add_parser(
        "add", help="thêm người dùng (mật khẩu: XHHT_NEW_PASSWORD hoặc nhập khi được hỏi)"
    )
    add.add_argument("name", metavar="TÊN_ĐĂNG_NHẬP")
    add.add_argument("--full-name", required=True, metavar="HỌ_TÊN", help="họ và tên")
    add.add_argument(
        "--role",
        required=True,
        choices=[*_ROLE_WORDS, *_ROLE_WORDS.values()],
        metavar="VAI_TRÒ",
        help="nhap_lieu, phe_duyet hoặc quan_tri",
    )
    passwd = user_sub.add_parser(
        "passwd",
        help="đặt mật khẩu mới cho người dùng (XHHT_NEW_PASSWORD hoặc nhập khi được hỏi)",
    )
    passwd.add_argument("name", metavar="TÊN_ĐĂNG_NHẬP")
    disable = user_sub.add_parser("disable", help="khóa tài khoản: không đăng nhập được nữa")
    disable.add_argument("name", metavar="TÊN_ĐĂNG_NHẬP")
    enable = user_sub.add_parser("enable", help="mở khóa tài khoản")
    enable.add_argument("name", metavar="TÊN_ĐĂNG_NHẬP")


def _add_indicator_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    indicators = sub.add_parser(
        "indicators", help="các chỉ số và kiểm tra chỉ tiêu của kế hoạch (đạt / chưa đạt)"
    )
    indicators.add_argument("--year", type=int, help="năm (mặc định: năm báo cáo)")
    indicators.add_argument(
        "--plan", metavar="MÃ", help="mã kế hoạch (mặc định: kế hoạch đang dùng)"
    )
    indicators.add_argument(
        "--village", metavar="MÃ_THÔN", help="chỉ các chỉ tiêu tính theo thôn, số liệu của thôn này"
    )
    indicators.add_argument("--list", action="store_true", help="liệt kê danh mục chỉ số")
    indicators.add_argument("--json", action="store_true", help="in dạng JSON")

    plans = sub.add_parser("plans", help="liệt kê các kế hoạch (mẫu và riêng của xã)")
    plans.add_argument(
        "--check", action="store_true", help="thoát với mã 1 nếu có tệp kế hoạch bị lỗi"
    )
    plans.add_argument("--json", action="store_true", help="in dạng JSON")

    plan = sub.add_parser("plan", help="chọn, xem, sao chép hoặc xóa một kế hoạch")
    plan_sub = plan.add_subparsers(
        dest="action", metavar="VIỆC", required=True, parser_class=_Parser
    )
    activate = plan_sub.add_parser("activate", help="dùng kế hoạch này cho bảng theo dõi")
    activate.add_argument("id", metavar="MÃ", help="mã kế hoạch")
    show = plan_sub.add_parser("show", help="xem các chỉ tiêu của kế hoạch")
    show.add_argument("id", metavar="MÃ", help="mã kế hoạch")
    show.add_argument("--json", action="store_true", help="in dạng JSON")
    copy = plan_sub.add_parser("copy", help="sao chép thành kế hoạch riêng để sửa")
    copy.add_argument("id", metavar="MÃ", help="mã kế hoạch gốc")
    copy.add_argument("new_id", metavar="MÃ_MỚI", help="mã của bản sao (ví dụ ke-hoach-xa-2025)")
    copy.add_argument("--title", required=True, metavar="TÊN", help="tên của bản sao")
    delete = plan_sub.add_parser(
        "delete", help="xóa một kế hoạch riêng (không xóa được kế hoạch mẫu)"
    )
    delete.add_argument("id", metavar="MÃ", help="mã kế hoạch")

    checks = sub.add_parser(
        "checks", help="kiểm tra dữ liệu: các lỗi giữa các hồ sơ làm sai số liệu"
    )
    checks.add_argument("--year", type=int, help="năm (mặc định: năm báo cáo)")
    checks.add_argument("--json", action="store_true", help="in dạng JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="xhht",
        description="XHHT Desktop — sổ sách xây dựng xã hội học tập cấp xã.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"XHHT Desktop {__version__}",
        help="in phiên bản rồi thoát",
    )
    parser.add_argument(
        "--db",
        metavar="ĐƯỜNG_DẪN_HOẶC_URL",
        help="tệp SQLite hoặc URL SQLAlchemy (mặc định: thư mục dữ liệu người "
        "dùng; hoặc biến môi trường XHHT_DATABASE_URL)",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)

    gui = sub.add_parser("gui", help="mở giao diện (mặc định)")
    gui.add_argument(
        "--smoke",
        action="store_true",
        help="mở cửa sổ chính không cần đăng nhập, thoát sau lần vẽ đầu (kiểm tra)",
    )
    gui.add_argument(
        "--demo",
        action="store_true",
        help="mở xã mẫu (tạo mới nếu chưa có), tách biệt với dữ liệu thật",
    )
    gui.add_argument(
        "--open",
        dest="open_file",
        type=Path,
        metavar="TỆP.xhht",
        help="sau khi đăng nhập, mở gói dữ liệu này để nhập (khi bấm đúp vào tệp .xhht)",
    )

    init = sub.add_parser("init", help="thiết lập lần đầu (không hỏi đáp)")
    init.add_argument(
        "--role",
        choices=["commune", "office"],
        required=True,
        help="commune: cấp xã; office: cơ quan tổng hợp",
    )
    init.add_argument("--commune-code", help="mã xã/phường theo danh mục (ví dụ 24717)")
    init.add_argument("--province-code", help="mã tỉnh/thành phố (cơ quan tổng hợp)")
    init.add_argument("--office-name", help="tên cơ quan tổng hợp")
    init.add_argument(
        "--office-code",
        help="mã riêng của cơ quan (vd. H68-01) khi có hai cấp cơ quan trong một tỉnh; "
        "mặc định P + mã tỉnh",
    )
    init.add_argument("--year", type=int, help="năm báo cáo (mặc định: năm nay)")
    init.add_argument("--receiving-office", help="tên cơ quan nhận báo cáo")
    init.add_argument("--signer-name", help="họ tên người ký báo cáo")
    init.add_argument("--signer-title", help="chức vụ người ký")
    init.add_argument(
        "--admin-user",
        default="admin",
        help="tên đăng nhập của người quản trị đầu tiên, khi có XHHT_PASSWORD (mặc định: admin)",
    )
    init.add_argument(
        "--admin-name", default="Quản trị viên", help="họ tên của người quản trị đầu tiên"
    )
    init.add_argument(
        "--recovery-sheet",
        metavar="TỆP.pdf",
        help="khi mã hóa (XHHT_PASSWORD): ghi tờ khóa khôi phục vào tệp PDF này để in",
    )

    encrypt = sub.add_parser(
        "encrypt",
        help="mã hóa dữ liệu đang chưa mã hóa (mật khẩu người quản trị: XHHT_PASSWORD "
        "hoặc nhập khi được hỏi)",
    )
    encrypt.add_argument(
        "--user", help="tên đăng nhập của người quản trị (mặc định: người quản trị có mật khẩu đó)"
    )
    encrypt.add_argument(
        "--recovery-sheet", metavar="TỆP.pdf", help="ghi tờ khóa khôi phục vào tệp PDF này để in"
    )
    escrow = sub.add_parser(
        "escrow",
        help="gửi giữ khóa dữ liệu: ghi khóa, mã hóa cho cơ quan nhận (đã trust-cert), vào tệp",
    )
    escrow.add_argument("--out", required=True, metavar="TỆP", help="tệp sẽ ghi")
    escrow_open = sub.add_parser(
        "escrow-open",
        help="cơ quan nhận: mở tệp khóa gửi giữ của một xã (mật khẩu: XHHT_KEY_PASSWORD "
        "hoặc nhập khi được hỏi)",
    )
    escrow_open.add_argument("file", metavar="TỆP", help="tệp khóa gửi giữ")

    demo = sub.add_parser("demo", help="tạo dữ liệu xã mẫu")
    demo.add_argument("--persons", type=int, default=3000, help="số nhân khẩu (mặc định 3000)")
    demo.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên (mặc định 1)")
    demo.add_argument("--year", type=int, help="năm báo cáo (mặc định: năm nay)")

    info = sub.add_parser("info", help="thông tin về cơ sở dữ liệu")
    info.add_argument("--json", action="store_true", help="in dạng JSON")

    backup = sub.add_parser("backup", help="sao lưu dữ liệu")
    backup.add_argument("--out", help="tệp đích (mặc định: thư mục sao lưu)")

    backups = sub.add_parser("backups", help="liệt kê các bản sao lưu")
    backups.add_argument("--json", action="store_true", help="in dạng JSON")

    restore = sub.add_parser("restore", help="khôi phục dữ liệu từ một bản sao lưu")
    restore.add_argument("file", metavar="TỆP", nargs="?", help="tệp sao lưu")
    restore.add_argument(
        "--newest",
        action="store_true",
        help="dùng bản sao lưu tốt gần nhất; nếu tệp dữ liệu bị hỏng, chuyển nó vào thư mục "
        "«hong» rồi khôi phục",
    )

    literacy = sub.add_parser(
        "literacy", help="tỷ lệ biết chữ và chuẩn xóa mù chữ của xã (NĐ 20/2014/NĐ-CP)"
    )
    literacy.add_argument("--year", type=int, help="năm điều tra (mặc định: năm báo cáo)")
    literacy.add_argument("--json", action="store_true", help="in dạng JSON")

    forms = sub.add_parser(
        "forms", help="kiểm tra hoặc liệt kê biểu mẫu và bộ tiêu chí (thư mục forms/)"
    )
    forms_action = forms.add_mutually_exclusive_group()
    forms_action.add_argument(
        "--check", action="store_true", help="kiểm tra mọi tệp định nghĩa (mặc định)"
    )
    forms_action.add_argument("--list", action="store_true", help="liệt kê các định nghĩa")
    forms.add_argument(
        "--dir",
        action="append",
        metavar="THƯ_MỤC",
        help="đọc thư mục này (có các thư mục con criteria/, aggregates/, forms/) thay cho "
        "forms/ và thư mục bản sao của người dùng; lặp lại được",
    )
    forms.add_argument("--json", action="store_true", help="in dạng JSON")

    models = sub.add_parser(
        "models", help="số đối tượng đăng ký, đánh giá, đạt, công nhận của bốn mô hình học tập"
    )
    models.add_argument("--year", type=int, help="năm (mặc định: năm báo cáo)")
    models.add_argument("--json", action="store_true", help="in dạng JSON")

    template = sub.add_parser("template", help="ghi tệp Excel mẫu để điền danh sách")
    template.add_argument(
        "kind",
        choices=["persons", "registrations"],
        metavar="LOẠI",
        help="persons: danh sách nhân khẩu; registrations: đăng ký, đánh giá một mô hình học tập",
    )
    template.add_argument("--out", required=True, metavar="TỆP.xlsx", help="tệp sẽ ghi")
    template.add_argument(
        "--model",
        choices=["gdht", "dhht", "cdht", "dvht"],
        help="mô hình (registrations): gdht gia đình, dhht dòng họ, cdht cộng đồng (thôn), "
        "dvht đơn vị",
    )
    template.add_argument("--year", type=int, help="năm (registrations; mặc định: năm báo cáo)")

    roster_import = sub.add_parser("import", help="nhập danh sách từ tệp Excel")
    roster_import.add_argument(
        "kind",
        choices=["persons", "registrations"],
        metavar="LOẠI",
        help="persons: danh sách nhân khẩu; registrations: đăng ký, đánh giá một mô hình học tập",
    )
    roster_import.add_argument("file", metavar="TỆP.xlsx", help="tệp Excel đã điền")
    roster_import.add_argument(
        "--model",
        choices=["gdht", "dhht", "cdht", "dvht"],
        help="mô hình (registrations), khi tệp không phải tệp mẫu của phần mềm",
    )
    roster_import.add_argument(
        "--year", type=int, help="năm (registrations), khi tệp không phải tệp mẫu"
    )
    roster_import.add_argument(
        "--dry-run", action="store_true", help="chỉ kiểm tra và cho biết sẽ thêm/sửa gì, không lưu"
    )
    roster_import.add_argument(
        "--valid-only",
        action="store_true",
        help="nhập các dòng hợp lệ, bỏ qua và liệt kê các dòng có lỗi "
        "(mặc định: một dòng lỗi thì không nhập gì)",
    )
    roster_import.add_argument(
        "--errors-out",
        metavar="LỖI.xlsx",
        help="khi có lỗi: lưu bản sao trang tính, ô sai tô đỏ và cột «Lỗi» ghi lý do",
    )
    roster_import.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    _add_signing_parsers(sub)
    _add_indicator_parsers(sub)
    _add_report_parser(sub)
    _add_audit_parser(sub)
    _add_exchange_parsers(sub)
    _add_user_parser(sub)
    return parser


_COMMANDS: dict[str, Callable[[argparse.Namespace, AppContext], int]] = {
    "init": _cmd_init,
    "encrypt": _cmd_encrypt,
    "escrow": _cmd_escrow,
    "escrow-open": _cmd_escrow_open,
    "demo": _cmd_demo,
    "info": _cmd_info,
    "backup": _cmd_backup,
    "backups": _cmd_backups,
    "restore": _cmd_restore,
    "literacy": _cmd_literacy,
    "forms": _cmd_forms,
    "template": _cmd_template,
    "import": _cmd_import,
    "cert": _cmd_cert,
    "sign": _cmd_sign,
    "verify": _cmd_verify,
    "report": _cmd_report,
    "audit": _cmd_audit,
    "models": _cmd_models,
    "export-package": _cmd_export_package,
    "verify-package": _cmd_verify_package,
    "import-package": _cmd_import_package,
    "export-cert": _cmd_export_cert,
    "trust-cert": _cmd_trust_cert,
    "import-receipt": _cmd_import_receipt,
    "packages": _cmd_packages,
    "indicators": _cmd_indicators,
    "plans": _cmd_plans,
    "plan": _cmd_plan,
    "checks": _cmd_checks,
    "user": _cmd_user,
}


# Commands that change the database: refused at once in a read-only copy
# (another copy holds the writer lock); any other write is refused when tried.
_WRITERS = frozenset(
    {
        "init",
        "encrypt",
        "demo",
        "restore",
        "import",
        "import-package",
        "import-receipt",
        "trust-cert",
        "export-package",
    }
)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        args = build_parser().parse_args([*(argv or sys.argv[1:]), "gui"])
    if args.command == "demo" and args.persons < 0:
        return _usage("--persons phải là số không âm")
    try:
        if args.command == "gui":
            return _cmd_gui(args, Settings.resolve(args.db, demo=args.demo))
        settings, username = _unlocked_settings(args.db)
        if args.command == "restore" and args.newest:
            return _restore_newest(settings)
        context = open_context(settings, Actor(os_actor()))
        try:
            context.actor = _actor(context, username)
            if context.read_only and args.command in _WRITERS:
                raise ReadOnlyDatabase()
            return _COMMANDS[args.command](args, context)
        finally:
            context.close()
    except ValidationFailed as exc:
        print("Dữ liệu bị từ chối:", file=sys.stderr)
        for issue in exc.issues:
            print(f"  - {issue}", file=sys.stderr)
        return EXIT_REFUSED
    except XhhtError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
