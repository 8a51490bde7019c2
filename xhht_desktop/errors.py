"""The error catalogue: what can go wrong, in words a commune official reads.

Core and service code raise these; the CLI prints them (exit 1) and the UI
shows them. Each error has a stable code for tests and logs, and a Vietnamese
message that says what happened and, where it can, what to do.
"""

from __future__ import annotations

from dataclasses import dataclass


class XhhtError(Exception):
    """Base of every error the app expects and explains."""

    code = "XHHT000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class NotSetUp(XhhtError):
    code = "XHHT001"

    def __init__(self) -> None:
        super().__init__(
            "Cơ sở dữ liệu chưa được thiết lập. Hãy chạy 'xhht init …' hoặc mở ứng dụng "
            "để làm theo trình hướng dẫn thiết lập."
        )


class AlreadySetUp(XhhtError):
    code = "XHHT002"

    def __init__(self) -> None:
        super().__init__("Cơ sở dữ liệu này đã được thiết lập; không thể thiết lập lại.")


class UnknownCommune(XhhtError):
    code = "XHHT003"


class DatabaseTooNew(XhhtError):
    code = "XHHT004"

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của ứng dụng (lược đồ {revision}). "
            "Hãy cài phiên bản mới nhất của XHHT Desktop trước khi mở tệp này."
        )


class BackupError(XhhtError):
    code = "XHHT005"


class LoginFailed(XhhtError):
    code = "XHHT006"

    def __init__(self) -> None:
        super().__init__("Sai tên đăng nhập hoặc mật khẩu.")


class LoginThrottled(LoginFailed):
    """Too many refused logins in a row for this name: wait before the next try.

    The password was not even checked, so a guess made during the wait tells
    nothing. Attributes:
        seconds: How long to wait (whole seconds, at least 1).
    """

    code = "XHHT011"

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        XhhtError.__init__(
            self,
            f"Đã đăng nhập sai nhiều lần liên tiếp. Hãy chờ {seconds} giây rồi thử lại; "
            "nếu quên mật khẩu, hãy nhờ người quản trị đặt lại.",
        )


class NotFound(XhhtError):
    code = "XHHT007"


class PermissionDenied(XhhtError):
    code = "XHHT008"


class StaleRecord(XhhtError):
    code = "XHHT009"

    def __init__(self) -> None:
        super().__init__(
            "Bản ghi đã được người khác sửa hoặc xóa trong lúc bạn đang sửa. "
            "Hãy mở lại bản ghi để xem dữ liệu mới nhất rồi sửa lại."
        )


@dataclass(frozen=True)
class FieldIssue:
    """One problem with one field of a record (or one cell of a sheet).

    Attributes:
        field: The field's id, as the form and the UI know it.
        message: What is wrong, in Vietnamese, and how to fix it.
        row: The sheet row for imported data, else ``None``.
    """

    field: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"dòng {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"


class ValidationFailed(XhhtError):
    """A record was refused; nothing was stored."""

    code = "XHHT100"

    def __init__(self, issues: list[FieldIssue]) -> None:
        self.issues = issues
        super().__init__("Dữ liệu không hợp lệ: " + "; ".join(str(i) for i in issues))

    def for_field(self, field: str) -> str | None:
        """Return the first message about ``field``, if any."""
        return next((issue.message for issue in self.issues if issue.field == field), None)


class DemoRefused(XhhtError):
    """Demo data goes only into an empty commune register."""

    code = "XHHT010"


class RosterRefused(ValidationFailed):
    """An imported roster was refused as a whole; nothing was stored.

    ``issues`` lists every problem (``row`` is the sheet row the user sees,
    ``field`` the column header); the message only counts them, since a large
    file can have thousands.
    """

    code = "XHHT101"

    def __init__(self, issues: list[FieldIssue], rows: int = 0, invalid_rows: int = 0) -> None:
        """Refuse a roster.

        Args:
            issues: Every problem found, in sheet order.
            rows: How many data rows the sheet has (0 when it was not read).
            invalid_rows: How many of them have a problem; 0 when the file
                itself was refused (unreadable, wrong headers).
        """
        self.issues = issues
        self.rows = rows
        self.invalid_rows = invalid_rows
        # Where the marked copy of the sheet was saved, when one was asked for.
        self.errors_file: str | None = None
        if invalid_rows:
            message = (
                f"Tệp bị từ chối, chưa lưu gì: {len(issues)} lỗi ở {invalid_rows} "
                f"trên {rows} dòng. Hãy sửa rồi nhập lại, hoặc chỉ nhập các dòng hợp lệ."
            )
        else:
            message = "Tệp bị từ chối, chưa lưu gì: " + "; ".join(str(i) for i in issues)
        XhhtError.__init__(self, message)


class ImportCancelled(XhhtError):
    """The user stopped an import (or its check) before the end; nothing was stored."""

    code = "XHHT102"

    def __init__(self) -> None:
        super().__init__("Đã hủy nhập dữ liệu theo yêu cầu; chưa có gì được lưu.")


class RecognitionRefused(ValidationFailed):
    """Some subjects of a recognition cannot be recognised; nothing was stored.

    ``issues`` has one entry per reason: ``field`` is the subject's id (so a
    list can mark its row) and ``message`` names the subject and says why.
    """

    code = "XHHT110"

    def __init__(self, issues: list[FieldIssue]) -> None:
        self.issues = issues
        subjects = len({issue.field for issue in issues})
        XhhtError.__init__(
            self,
            f"Không công nhận được {subjects} đối tượng, chưa lưu gì: "
            + "; ".join(issue.message for issue in issues),
        )


class CertificateRefused(XhhtError):
    """A certificate or key file cannot be used to sign (bad file, expired, mismatched)."""

    code = "XHHT200"


class KeyPasswordWrong(XhhtError):
    code = "XHHT201"

    def __init__(self) -> None:
        super().__init__(
            "Sai mật khẩu của khóa ký số (tệp PKCS#12). Hãy nhập đúng mật khẩu đã đặt khi "
            "tạo hoặc nhập chứng thư số."
        )


class NoCertificate(XhhtError):
    code = "XHHT202"

    def __init__(self) -> None:
        super().__init__(
            "Chưa có chứng thư ký số của đơn vị. Hãy tạo bằng 'xhht cert create' hoặc nhập "
            "tệp .p12 bằng 'xhht cert import TỆP.p12'."
        )


class SigningRefused(XhhtError):
    """A file cannot be signed (not a PDF/XLSX, encrypted, unreadable)."""

    code = "XHHT203"


class TokenUnavailable(XhhtError):
    """The USB token (PKCS#11) is configured but cannot be used."""

    code = "XHHT204"


class ReportNotSupported(XhhtError):
    """A report kind that this version cannot build (yet), or no such kind."""

    code = "XHHT120"


class ReportFailed(XhhtError):
    """A report could not be written (disk full, folder not writable…); no file was left."""

    code = "XHHT121"


class PackageRefused(XhhtError):
    """A data package (or a receipt) was refused: unreadable, tampered, not for us, replayed.

    Nothing was stored. Every way a package can be refused is this class or a
    subclass, so a caller (and the fuzz test) can rely on catching just it.
    """

    code = "XHHT300"


class SenderNotTrusted(PackageRefused):
    """The package is intact, but its signer is not (yet) trusted for its commune.

    The official compares ``fingerprint`` with the one printed on the
    commune's signed paper report and, if they match, confirms it.

    Attributes:
        unit_code: The code of the unit the package says it comes from.
        unit_name: Its name.
        fingerprint: The signer's certificate fingerprint, in groups of four.
        known_fingerprint: The fingerprint trusted so far, or ``None`` for a
            first package.
    """

    code = "XHHT301"

    def __init__(
        self,
        message: str,
        *,
        unit_code: str,
        unit_name: str,
        fingerprint: str,
        known_fingerprint: str | None,
    ) -> None:
        super().__init__(message)
        self.unit_code = unit_code
        self.unit_name = unit_name
        self.fingerprint = fingerprint
        self.known_fingerprint = known_fingerprint


class PackageWriteFailed(XhhtError):
    """A package or receipt could not be written (stick full or removed); no file was left."""

    code = "XHHT302"


class DatabaseLocked(XhhtError):
    """The database is encrypted and no password was given to unlock it."""

    code = "XHHT400"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "Dữ liệu trên máy này đã được mã hóa. Hãy đặt mật khẩu vào biến môi trường "
            "XHHT_PASSWORD (hoặc chạy lệnh trong cửa sổ dòng lệnh để được hỏi mật khẩu)."
        )


class UnlockFailed(XhhtError):
    """A password or recovery key did not open the encrypted database."""

    code = "XHHT401"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "Sai mật khẩu: không mở được dữ liệu đã mã hóa. Hãy nhập lại đúng mật khẩu "
            "của một người dùng, hoặc dùng khóa khôi phục trong tờ giấy cất ở tủ của xã."
        )


class KeystoreDamaged(XhhtError):
    """The key file beside an encrypted database is missing, damaged or altered."""

    code = "XHHT402"


class RecoveryKeyInvalid(XhhtError):
    """A recovery key was mistyped (a checksum failed) or belongs to other data.

    Attributes:
        groups: 1-based numbers of the groups that look mistyped (empty when
            the key is well formed but opens other data).
    """

    code = "XHHT403"

    def __init__(self, message: str, groups: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.groups = groups


class EncryptionFailed(XhhtError):
    """Encrypting an existing database failed; the unencrypted data is untouched."""

    code = "XHHT404"


# -- reliability: disks, sticks, locks and damaged files (XHHT5xx) -------------


class FileWriteFailed(XhhtError, OSError):
    """A file could not be written; the previous file (if any) is untouched.

    Also an ``OSError`` with the original ``errno``, so that code which
    catches ``OSError`` around a write keeps working; its ``strerror`` is the
    Vietnamese explanation. The subclasses say which fault it was.
    """

    code = "XHHT500"

    def __init__(self, message: str, *, errno: int | None = None, filename: str = "") -> None:
        XhhtError.__init__(self, message)
        self.errno = errno
        self.strerror = message
        self.filename = filename


class DiskFull(FileWriteFailed):
    """The disk or stick is full."""

    code = "XHHT501"


class FolderReadOnly(FileWriteFailed):
    """The folder (or the stick) cannot be written: read-only or no permission."""

    code = "XHHT502"


class DeviceRemoved(FileWriteFailed):
    """The stick (or network drive) went away, or failed, during the write."""

    code = "XHHT503"


class FileLocked(FileWriteFailed):
    """Another program (Excel, a PDF reader…) holds the file open (Windows)."""

    code = "XHHT504"


class DatabaseFull(XhhtError):
    """SQLite could not grow the database: the disk is full. Nothing was stored."""

    code = "XHHT505"

    def __init__(self) -> None:
        super().__init__(
            "Ổ đĩa chứa dữ liệu đã đầy nên chưa lưu được; thay đổi vừa rồi chưa được lưu, "
            "dữ liệu cũ vẫn nguyên vẹn. Hãy xóa bớt tệp không cần (hoặc chép bớt sang USB) "
            "để giải phóng chỗ trống rồi lưu lại; nội dung trên màn hình vẫn được giữ."
        )


class DatabaseNotWritable(XhhtError):
    """SQLite may not write the database file (read-only folder or file). Nothing was stored."""

    code = "XHHT506"

    def __init__(self) -> None:
        super().__init__(
            "Không ghi được vào tệp dữ liệu (thư mục hoặc tệp chỉ cho đọc, hoặc không có "
            "quyền ghi); thay đổi vừa rồi chưa được lưu, dữ liệu cũ vẫn nguyên vẹn. Hãy nhờ "
            "người quản trị máy cấp quyền ghi cho thư mục dữ liệu rồi lưu lại."
        )


class ReadOnlyDatabase(XhhtError):
    """Another copy of the app is writing this database; this one may only read it."""

    code = "XHHT507"

    def __init__(self) -> None:
        super().__init__(
            "Một cửa sổ XHHT khác đang mở dữ liệu này; cửa sổ này chỉ để xem, không lưu được "
            "thay đổi. Hãy đóng cửa sổ kia (hoặc đợi lệnh kia chạy xong) rồi mở lại để sửa."
        )


class DatabaseDamaged(XhhtError):
    """The database file failed its check at start; the app does not write to it.

    Attributes:
        path: The damaged file.
        detail: What SQLite said (for the office's technician).
    """

    code = "XHHT508"

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            f"Tệp dữ liệu «{path}» bị hỏng (có thể do mất điện hoặc ổ đĩa lỗi) nên ứng dụng "
            "không ghi gì vào đó. Hãy khôi phục bản sao lưu tốt gần nhất: trong ứng dụng chọn "
            "«Khôi phục», hoặc chạy lệnh 'xhht restore --newest'. Tệp hỏng sẽ được giữ lại "
            "trong thư mục «hong» để gửi cơ quan cấp trên kiểm tra."
        )
        self.path = path
        self.detail = detail
