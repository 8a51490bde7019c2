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
from typing import NoReturn

from xhht_desktop import __version__
from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.errors import ValidationFailed, XhhtError
from xhht_desktop.services.demo_setup import fill_demo
from xhht_desktop.settings import Settings, os_actor

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
    return parser


_COMMANDS: dict[str, Callable[[argparse.Namespace, AppContext], int]] = {
    "init": _cmd_init,
    "demo": _cmd_demo,
    "info": _cmd_info,
    "backup": _cmd_backup,
    "backups": _cmd_backups,
    "restore": _cmd_restore,
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
