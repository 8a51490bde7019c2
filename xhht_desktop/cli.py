"""The ``xhht`` command: everything the UI does, scriptable and headless.

Exit codes: 0 done, 1 the input or the data was refused (a Vietnamese
message says why), 2 the command line itself is wrong. The command line acts
as the operating-system user, and the audit log records it as such.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from xhht_desktop import __version__
from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.errors import ValidationFailed, XhhtError
from xhht_desktop.services.demo_setup import fill_demo
from xhht_desktop.settings import Settings, os_actor

if TYPE_CHECKING:
    from xhht_desktop.services.roster import ImportReport

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse with its own words in Vietnamese."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi cú pháp: {message}\n")

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

    return run_gui(settings, smoke=args.smoke, demo=args.demo)


def _cmd_init(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.services.setup import CommuneSetup, OfficeSetup

    year = args.year or date.today().year
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
            )
        )
    else:
        if not args.province_code or not args.office_name:
            return _usage("init --role office cần --province-code MÃ_TỈNH và --office-name TÊN")
        info = context.setup.init_office(
            OfficeSetup(
                province_code=args.province_code,
                office_name=args.office_name,
                year=year,
                signer_name=args.signer_name or "",
                signer_title=args.signer_title or "Trưởng phòng",
            )
        )
    print(f"Đã thiết lập: {info.display_name}, năm báo cáo {info.year}.")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, context: AppContext) -> int:
    summary = fill_demo(context, persons=args.persons, seed=args.seed, year=args.year)
    print(
        f"Đã tạo dữ liệu mẫu: {summary.villages} thôn, {summary.households} hộ, "
        f"{summary.persons} nhân khẩu."
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


def _cmd_restore(args: argparse.Namespace, context: AppContext) -> int:
    safety = context.backups.restore(Path(args.file))
    print(f"Đã khôi phục từ: {args.file}")
    if safety is not None:
        print(f"Dữ liệu trước khi khôi phục được giữ tại: {safety.path}")
    return EXIT_OK


def _cmd_literacy(args: argparse.Namespace, context: AppContext) -> int:
    from xhht_desktop.core import ethnicity
    from xhht_desktop.core.literacy import LEVELS, SEX_ORDER

    info = context.setup.require()
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


def _cmd_template(args: argparse.Namespace, context: AppContext) -> int:
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


def _usage(message: str) -> int:
    print(f"xhht: lỗi cú pháp: {message}", file=sys.stderr)
    return EXIT_USAGE


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
    init.add_argument("--year", type=int, help="năm báo cáo (mặc định: năm nay)")
    init.add_argument("--receiving-office", help="tên cơ quan nhận báo cáo")
    init.add_argument("--signer-name", help="họ tên người ký báo cáo")
    init.add_argument("--signer-title", help="chức vụ người ký")

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
    restore.add_argument("file", metavar="TỆP", help="tệp sao lưu")

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

    template = sub.add_parser("template", help="ghi tệp Excel mẫu để điền danh sách")
    template.add_argument(
        "kind", choices=["persons"], metavar="LOẠI", help="persons: danh sách nhân khẩu"
    )
    template.add_argument("--out", required=True, metavar="TỆP.xlsx", help="tệp sẽ ghi")

    roster_import = sub.add_parser("import", help="nhập danh sách từ tệp Excel")
    roster_import.add_argument(
        "kind", choices=["persons"], metavar="LOẠI", help="persons: danh sách nhân khẩu"
    )
    roster_import.add_argument("file", metavar="TỆP.xlsx", help="tệp Excel đã điền")
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
    return parser


_COMMANDS: dict[str, Callable[[argparse.Namespace, AppContext], int]] = {
    "init": _cmd_init,
    "demo": _cmd_demo,
    "info": _cmd_info,
    "backup": _cmd_backup,
    "backups": _cmd_backups,
    "restore": _cmd_restore,
    "literacy": _cmd_literacy,
    "forms": _cmd_forms,
    "template": _cmd_template,
    "import": _cmd_import,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        args = build_parser().parse_args([*(argv or sys.argv[1:]), "gui"])
    if args.command == "demo" and args.persons < 0:
        return _usage("--persons phải là số không âm")
    try:
        if args.command == "gui":
            return _cmd_gui(args, Settings.resolve(args.db, demo=args.demo))
        context = open_context(Settings.resolve(args.db), Actor(os_actor()))
        try:
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
