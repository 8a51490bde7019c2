"""Digital signatures of reports: PAdES for PDF, a detached CMS file for the rest.

A PDF is signed in place of its last revision by pyHanko (an incremental
update with a PAdES signature and a visible stamp: who signed, the signing
time in ISO 8601 with Vietnam's offset, and the certificate's fingerprint that
the receiving office compares before it trusts a commune's key). An Excel
file cannot carry a signature that Excel keeps, so it gets ``F.xlsx.sig``
beside it: a DER-encoded CMS SignedData over the file's bytes.

Verification answers two separate questions: is the file exactly what was
signed (``intact``), and is the signer someone this database trusts
(``trusted``). A self-signed commune certificate proves the first on its own;
the second needs the certificate on the trusted list.

No file is written half: signed output goes through
:func:`xhht_desktop.store.files.write_atomically`.
"""

from __future__ import annotations

import asyncio
import enum
import importlib.util
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import cms
from cryptography import x509
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from xhht_desktop.core.certificates import (
    VIETNAM_TIME,
    CertificateInfo,
    KeyMaterial,
    describe,
    fingerprint,
    fingerprint_hex,
    fingerprint_lines,
    load_pkcs12,
)
from xhht_desktop.errors import SigningRefused, TokenUnavailable
from xhht_desktop.store.files import write_atomically

if TYPE_CHECKING:
    from PIL import Image

# pyHanko and its certificate validator log every failed trust path with a
# traceback, and fontTools every font table it does not subset: for us an
# unknown signer is an answer (the result says so), not an error. Without a
# handler Python's last-resort handler would print them on the official's
# screen; a log file the app configures still receives them.
for _name in ("pyhanko", "pyhanko_certvalidator", "fontTools.subset"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

SIGNATURE_SUFFIX = ".sig"
DIGEST = "sha256"
FIELD_NAME = "ChuKySo"
MM = 72 / 25.4  # PDF points per millimetre

# A signing certificate may carry either usage: CA-issued certificates in
# Vietnam have both, some only digitalSignature.
_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})
_TEXT_COLOUR = (0.05, 0.15, 0.55)


# ---------------------------------------------------------------- identities


@dataclass
class SigningIdentity:
    """A key able to sign, with its certificate.

    Attributes:
        signer: The pyHanko signer (a key in memory, or on a USB token).
        certificate: The signer's certificate.
        source: ``"pkcs12"`` or ``"pkcs11"``.
    """

    signer: signers.Signer
    certificate: x509.Certificate
    source: str = "pkcs12"
    _session: object | None = field(default=None, repr=False)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)

    @property
    def info(self) -> CertificateInfo:
        return describe(self.certificate)

    def close(self) -> None:
        """Close the token session, if any (a PKCS#12 identity holds nothing open)."""
        session, self._session = self._session, None
        if session is not None:
            session.close()  # type: ignore[attr-defined]


def identity_from_key(material: KeyMaterial) -> SigningIdentity:
    """A signing identity from an opened PKCS#12 (see :func:`load_pkcs12`)."""
    chain = [translate_pyca_cryptography_cert_to_asn1(c) for c in material.chain]
    signer = signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(material.certificate),
        signing_key=translate_pyca_cryptography_key_to_asn1(material.key),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    return SigningIdentity(signer=signer, certificate=material.certificate)


def identity_from_pkcs12(data: bytes, password: str) -> SigningIdentity:
    """Open a PKCS#12 file's bytes with its password.

    Raises:
        KeyPasswordWrong: The password is wrong.
        CertificateRefused: The file cannot sign (see :func:`load_pkcs12`).
    """
    return identity_from_key(load_pkcs12(data, password))


@dataclass(frozen=True)
class TokenConfig:
    """Where to find a USB token's key.

    Attributes:
        module: The token maker's PKCS#11 library (``.dll``/``.so``).
        token_label: The token's label, when more than one may be plugged in.
        key_label: The key's label on the token (first key when ``None``).
        cert_label: The certificate's label (the key's label when ``None``).
    """

    module: Path
    token_label: str | None = None
    key_label: str | None = None
    cert_label: str | None = None


def token_library_installed() -> bool:
    """Whether python-pkcs11 (pyHanko's ``pkcs11`` extra) is installed."""
    return importlib.util.find_spec("pkcs11") is not None


def open_token_identity(config: TokenConfig, pin: str) -> SigningIdentity:
    """Open the signing key on a USB token through PKCS#11.

    The tests drive it against SoftHSM2, a software token; a physical
    token has not been tried.

    Raises:
        TokenUnavailable: The PKCS#11 support is not installed, the module
            is missing, no token is plugged in, or the PIN is refused.
    """
    if not config.module.is_file():
        raise TokenUnavailable(
            f"Không tìm thấy thư viện PKCS#11 của USB ký số: {config.module}. "
            "Hãy cài phần mềm của nhà cung cấp USB ký số hoặc sửa đường dẫn."
        )
    if not token_library_installed():
        raise TokenUnavailable(
            "Bản cài đặt này chưa có hỗ trợ USB ký số (gói python-pkcs11). "
            "Hãy dùng tệp chứng thư .p12, hoặc cài bản có hỗ trợ USB ký số."
        )
    from pkcs11 import PKCS11Error
    from pkcs11.exceptions import PinIncorrect, PinLenRange, PinLocked
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    criteria = TokenCriteria(label=config.token_label) if config.token_label else None
    try:
        session = open_pkcs11_session(str(config.module), token_criteria=criteria, user_pin=pin)
    except (PinIncorrect, PinLenRange) as exc:
        raise TokenUnavailable("Sai mã PIN của USB ký số.") from exc
    except PinLocked as exc:
        raise TokenUnavailable(
            "USB ký số đã bị khóa do nhập sai mã PIN nhiều lần; hãy liên hệ nhà cung cấp."
        ) from exc
    except PKCS11Error as exc:
        raise TokenUnavailable(
            "Không mở được USB ký số: chưa cắm USB, hoặc không có USB nào mang nhãn "
            f"«{config.token_label or '?'}» ({type(exc).__name__} {exc})."
        ) from exc
    try:
        signer = PKCS11Signer(
            session,
            cert_label=config.cert_label or config.key_label,
            key_label=config.key_label,
            # Hash here and let the token do only the raw RSA/ECDSA operation:
            # many tokens (and SoftHSM) lack the combined hash-and-sign mechanisms.
            use_raw_mechanism=True,
        )
        certificate = x509.load_der_x509_certificate(signer.signing_cert.dump())
    except Exception as exc:
        session.close()
        raise TokenUnavailable(f"Không đọc được khóa hoặc chứng thư trên USB ký số: {exc}") from exc
    return SigningIdentity(
        signer=signer, certificate=certificate, source="pkcs11", _session=session
    )


# ------------------------------------------------------------------- signing


@dataclass(frozen=True)
class StampImages:
    """Optional pictures in the signature stamp of an electronic copy.

    By custom (and DOMAIN.md) the handwritten signature is blue and the seal
    red, both PNG; the seal is printed at its true size and covers about the
    left third of the signature.

    Attributes:
        signature: The signature picture (PNG), or ``None``.
        seal: The seal picture (PNG), or ``None``.
        seal_diameter_mm: The seal's true size.
        signature_height_mm: How tall the signature is drawn.
    """

    signature: Path | None = None
    seal: Path | None = None
    seal_diameter_mm: float = 35.0
    signature_height_mm: float = 20.0

    @property
    def empty(self) -> bool:
        return self.signature is None and self.seal is None


@dataclass(frozen=True)
class SignatureAppearance:
    """What the visible stamp says and shows.

    Attributes:
        signer_name: The person who signs (from the settings).
        signer_title: Their title, e.g. "Chủ tịch".
        organization: Who signs, e.g. "UBND Xã Đức An"; the certificate's
            common name when empty.
        images: Signature and seal pictures, if any.
        font_file: A TrueType font with Vietnamese letters; the reports' font
            (Times New Roman, else the bundled Liberation Serif) when ``None``.
        reason: The reason recorded in the signature dictionary.
        location: The place recorded in the signature dictionary.
    """

    signer_name: str = ""
    signer_title: str = ""
    organization: str = ""
    images: StampImages | None = None
    font_file: Path | None = None
    reason: str = "Phê duyệt báo cáo"
    location: str = ""


@dataclass(frozen=True)
class SignedFile:
    """A file just signed.

    Attributes:
        path: The signed PDF, or the detached signature file.
        signed: The file the signature covers.
        signed_at: The signing time, in Vietnam's time.
        fingerprint: The signer certificate's fingerprint.
    """

    path: Path
    signed: Path
    signed_at: datetime
    fingerprint: str


def signature_path(path: Path) -> Path:
    """Where the detached signature of ``path`` lives: ``F.xlsx`` → ``F.xlsx.sig``."""
    return path.with_name(path.name + SIGNATURE_SUFFIX)


def _now(now: datetime | None) -> datetime:
    # Whole seconds: the CMS signing time and the stamp must show the same moment.
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    return moment.astimezone(VIETNAM_TIME)


def iso_time(moment: datetime) -> str:
    """``2026-05-04T09:30:00+07:00``: ISO 8601 in Vietnam's time."""
    return moment.astimezone(VIETNAM_TIME).isoformat(timespec="seconds")


class _PdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is ours, not the machine's local zone."""

    def __init__(self, *args: object, moment: datetime, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._moment = moment

    def init_signing_session(
        self, pdf_out: IncrementalPdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._moment
        return session


def check_png(path: Path, what: str) -> Image.Image:
    """Open a stamp picture, refusing anything but a readable PNG.

    Args:
        path: The picture.
        what: Its name for the message, e.g. "Ảnh chữ ký".

    Returns:
        The picture, as RGBA.

    Raises:
        SigningRefused: Not a PNG, or unreadable.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if image.format != "PNG":
                raise SigningRefused(f"{what} phải là tệp PNG: {path.name}")
            return image.convert("RGBA")
    except (OSError, UnidentifiedImageError) as exc:
        raise SigningRefused(f"Không đọc được {what.lower()}: {path}") from exc


def stamp_picture(images: StampImages) -> tuple[Image.Image, float, float]:
    """Signature and seal on one transparent picture; returns it and its size in points."""
    from PIL import Image

    px_per_mm = 300 / 25.4
    signature = check_png(images.signature, "Ảnh chữ ký") if images.signature else None
    seal = check_png(images.seal, "Ảnh con dấu") if images.seal else None
    seal_w = seal_h = sig_w = sig_h = 0
    if seal is not None:
        seal_w = round(images.seal_diameter_mm * px_per_mm)
        seal_h = round(seal_w * seal.height / seal.width)
        seal = seal.resize((seal_w, seal_h), Image.Resampling.LANCZOS)
    if signature is not None:
        sig_h = round(images.signature_height_mm * px_per_mm)
        sig_w = round(sig_h * signature.width / signature.height)
        signature = signature.resize((sig_w, sig_h), Image.Resampling.LANCZOS)
    # The seal sits on the left and covers the signature's left third.
    sig_x = max(0, seal_w - sig_w // 3) if seal is not None else 0
    width = max(seal_w, sig_x + sig_w)
    height = max(seal_h, sig_h)
    canvas = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    if signature is not None:
        canvas.alpha_composite(signature, (sig_x, (height - sig_h) // 2))
    if seal is not None:
        canvas.alpha_composite(seal, (0, (height - seal_h) // 2))
    return canvas, width / px_per_mm * MM, height / px_per_mm * MM


def _stamp_font(data: bytes, text: str) -> bytes:
    """The stamp's font cut down to ``text`` and rescaled to 1000 units per em.

    pyHanko writes glyph widths in font units into the PDF, which readers
    take as thousandths of an em: a TrueType font of 2048 units per em
    (Liberation Serif, Times New Roman) comes out with its letters spread
    twice too far apart. Rescaling the (small) subset avoids that.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(io.BytesIO(data))
    options = subset.Options()
    options.hinting = False  # hinting programs do not survive rescaling
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class _FontFactory(FontEngineFactory):
    """pyHanko's OpenType font engine, fed from memory.

    pyHanko's own factory opens the font file and never closes it; this one
    holds the prepared bytes (see :func:`_stamp_font`) and leaves no handle.
    """

    def __init__(self, font_file: Path, font_size: int, text: str) -> None:
        self._data = _stamp_font(Path(font_file).read_bytes(), text)
        self._font_size = font_size

    def create_font_engine(
        self, writer: IncrementalPdfFileWriter, obj_stream: object = None
    ) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(self._data),
            font_size=self._font_size,
            obj_stream=obj_stream,
        )


def _report_font() -> Path:
    """The reports' own font (Times New Roman when the system has it), for a matching stamp."""
    from xhht_desktop.reports.fonts import font_files

    return font_files().regular


def _stamp_style(
    appearance: SignatureAppearance, lines: list[str], box: tuple[int, int, int, int]
) -> TextStampStyle:
    from pyhanko.pdf_utils.images import PdfImage

    font_file = appearance.font_file or _report_font()
    font_size = 8
    text_style = TextBoxStyle(
        font=_FontFactory(font_file, font_size, "".join(lines)),
        font_size=font_size,
        leading=round(font_size * 1.25),
        text_color=_TEXT_COLOUR,
    )
    stamp_text = "\n".join(f"%(line{i})s" for i in range(len(lines)))
    margin = 4
    images = appearance.images
    if images is None or images.empty:
        return TextStampStyle(
            stamp_text=stamp_text,
            text_box_style=text_style,
            border_width=1,
            border_color=_TEXT_COLOUR,
            inner_content_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(margin),
            ),
        )
    # Pictures on the left at true size when the box allows, else shrunk to
    # its height and to 40 % of its width; the words take the rest, never
    # written over the seal.
    picture, width, height = stamp_picture(images)
    box_width, box_height = box[2] - box[0], box[3] - box[1]
    scale = min(1.0, (box_height - 2 * margin) / height, (box_width * 0.4 - margin) / width)
    width, height = width * scale, height * scale
    return TextStampStyle(
        stamp_text=stamp_text,
        text_box_style=text_style,
        border_width=1,
        border_color=_TEXT_COLOUR,
        background=PdfImage(picture, box=layout.BoxConstraints(width, height)),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(margin),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(
                left=width + 2 * margin, right=margin, top=margin, bottom=margin
            ),
        ),
    )


def stamp_lines(
    identity: SigningIdentity, appearance: SignatureAppearance, moment: datetime
) -> list[str]:
    """The words of the visible stamp, one per line."""
    organization = appearance.organization or identity.info.common_name
    person = appearance.signer_name.strip()
    if person and appearance.signer_title.strip():
        person = f"{person} – {appearance.signer_title.strip()}"
    lines = [f"Ký số bởi: {organization}"]
    if person:
        lines.append(f"Người ký: {person}")
    lines.append(f"Thời gian ký: {iso_time(moment)}")
    lines.append("Vân tay chứng thư (SHA-256):")
    lines.extend(fingerprint_lines(identity.certificate))
    return lines


def default_stamp_box(
    page_width: float, page_height: float, appearance: SignatureAppearance
) -> tuple[int, int, int, int]:
    """The stamp's rectangle when the caller gives none: bottom right of the page.

    Clear of the right (15 mm) and bottom (20 mm) margins of Nghị định
    30/2020; wider when it carries a signature and a seal.
    """
    del page_height  # the stamp sits on the bottom margin whatever the height
    images = appearance.images
    with_pictures = images is not None and not images.empty
    width = (130 if with_pictures else 85) * MM
    height = (40 if with_pictures else 28) * MM
    right = page_width - 15 * MM
    bottom = 20 * MM
    return (round(right - width), round(bottom), round(right), round(bottom + height))


def _page_size(writer: IncrementalPdfFileWriter, page: int) -> tuple[float, float]:
    page_ref, _ = writer.find_page_for_modification(page)
    node = page_ref.get_object()
    # MediaBox may be inherited from an ancestor in the page tree.
    while "/MediaBox" not in node and "/Parent" in node:
        node = node["/Parent"].get_object()
    x1, y1, x2, y2 = (float(v) for v in node["/MediaBox"])
    return abs(x2 - x1), abs(y2 - y1)


def _open_pdf_for_signing(data: bytes, name: str) -> IncrementalPdfFileWriter:
    if not data.lstrip()[:5] == b"%PDF-":
        raise SigningRefused(f"Tệp «{name}» không phải là tệp PDF.")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except Exception as exc:
        # Any parse failure of a user's file means the same to them.
        raise SigningRefused(f"Không đọc được tệp PDF «{name}»: tệp bị hỏng.") from exc
    if writer.prev.encrypted:
        raise SigningRefused(f"Tệp PDF «{name}» có mật khẩu; hãy ký bản không đặt mật khẩu.")
    return writer


def sign_pdf(
    source: Path,
    target: Path,
    identity: SigningIdentity,
    appearance: SignatureAppearance,
    *,
    page: int = -1,
    box: tuple[int, int, int, int] | None = None,
    field_name: str | None = None,
    now: datetime | None = None,
) -> SignedFile:
    """Sign a PDF (PAdES B-B) with a visible stamp, writing ``target`` atomically.

    ``source`` and ``target`` may be the same file: it is read whole before
    the signed copy replaces it. A PDF that is already signed gets one more
    signature in a new incremental update, so the earlier ones stay valid.

    Args:
        source: The PDF to sign.
        target: Where the signed PDF goes.
        identity: The key that signs.
        appearance: What the stamp says and shows.
        page: Page index of the stamp; negative counts from the end.
        box: The stamp's rectangle ``(x1, y1, x2, y2)`` in PDF points;
            bottom right of the page by default (:func:`default_stamp_box`).
        field_name: The signature field. When the PDF has an empty signature
            field of that name (by default ``ChuKySo``: a report may reserve
            one in its signature block), the signature goes there and
            ``page``/``box`` are ignored.
        now: The signing time (tests); the current time by default.

    Returns:
        What was signed, when, and by which certificate.

    Raises:
        SigningRefused: Not a PDF, damaged, or protected by a password.
        OSError: ``target`` cannot be written; it is left as it was.
    """
    source, target = Path(source), Path(target)
    data = source.read_bytes()
    writer = _open_pdf_for_signing(data, source.name)
    moment = _now(now)
    name = field_name or _free_field_name(writer)
    if box is None:
        width, height = _page_size(writer, page)
        box = default_stamp_box(width, height, appearance)
    lines = stamp_lines(identity, appearance, moment)
    metadata = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm=DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=appearance.reason or None,
        location=appearance.location or None,
        name=appearance.signer_name or None,
    )
    pdf_signer = _PdfSigner(
        metadata,
        identity.signer,
        stamp_style=_stamp_style(appearance, lines, box),
        new_field_spec=fields.SigFieldSpec(sig_field_name=name, on_page=page, box=box),
        moment=moment,
    )
    params = {f"line{i}": line for i, line in enumerate(lines)}
    # pyHanko reads its output back to digest it, so it signs into memory;
    # the signed bytes then reach the disk through the atomic writer.
    signed = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, appearance_text_params=params, output=signed)
    except (SigningError, PdfError) as exc:
        raise SigningRefused(f"Không ký được tệp «{source.name}»: {exc}") from exc
    write_atomically(target, lambda handle: handle.write(signed.getbuffer()))
    return SignedFile(target, target, moment, identity.fingerprint)


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    """The field to sign: an empty ``ChuKySo`` the report reserved, else a new name.

    A new name is ``ChuKySo``, or ``ChuKySo2``… when earlier signatures took it.
    """
    empty = {str(name) for name, _, _ in fields.enumerate_sig_fields(writer.prev, False)}
    if FIELD_NAME in empty:
        return FIELD_NAME
    taken = {str(name) for name, _, _ in fields.enumerate_sig_fields(writer.prev, None)}
    number = 1
    while (candidate := FIELD_NAME if number == 1 else f"{FIELD_NAME}{number}") in taken:
        number += 1
    return candidate


def sign_detached(
    path: Path,
    identity: SigningIdentity,
    *,
    target: Path | None = None,
    now: datetime | None = None,
) -> SignedFile:
    """Write a detached CMS signature of ``path`` (by default ``path`` + ``.sig``).

    The signature file is DER-encoded CMS ``SignedData`` (RFC 5652, what
    ``openssl cms -verify -binary -content F.xlsx -inform DER`` reads), with
    the signer's certificate and the signing time as a signed attribute.

    Raises:
        OSError: ``path`` cannot be read or the signature cannot be written.
    """
    path = Path(path)
    target = Path(target) if target is not None else signature_path(path)
    data = path.read_bytes()
    moment = _now(now)
    content = asyncio.run(
        identity.signer.async_sign_general_data(
            data,
            DIGEST,
            detached=True,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=moment),
        )
    )
    der = content.dump()
    write_atomically(target, lambda handle: handle.write(der))
    return SignedFile(target, path, moment, identity.fingerprint)


# -------------------------------------------------------------- verification


class VerificationStatus(enum.Enum):
    """What :func:`verify_file` found, from best to worst."""

    INTACT = "intact"
    MODIFIED = "modified"
    UNSIGNED = "unsigned"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a file.

    Attributes:
        signer: The signer's certificate, described.
        certificate: The signer's certificate.
        intact: The signed bytes are unchanged and the signature value is
            right (nothing about trust).
        trusted: The certificate is on the trusted list (or chains to one).
        signed_at: The signing time the signer's machine recorded, in
            Vietnam's time (not proven by a time-stamping authority).
        problem: What is wrong, in Vietnamese, or ``None``.
    """

    signer: CertificateInfo
    certificate: x509.Certificate
    intact: bool
    trusted: bool
    signed_at: datetime | None
    problem: str | None = None


@dataclass(frozen=True)
class VerificationResult:
    """The answer of :func:`verify_file`.

    Attributes:
        path: The file checked.
        kind: ``"pdf"`` or ``"detached"``.
        status: Intact, modified, unsigned or unreadable.
        signatures: Each signature found, in file order.
        signature_file: The detached signature file looked at, if any.
        detail: Why the file is unsigned or unreadable, in Vietnamese.
    """

    path: Path
    kind: str
    status: VerificationStatus
    signatures: tuple[SignatureCheck, ...] = ()
    signature_file: Path | None = None
    detail: str = ""

    @property
    def intact(self) -> bool:
        return self.status is VerificationStatus.INTACT

    @property
    def trusted(self) -> bool:
        """Every signature is by a certificate this database trusts."""
        return bool(self.signatures) and all(s.trusted for s in self.signatures)

    @property
    def ok(self) -> bool:
        """Intact and signed by trusted certificates only: the file can be relied on."""
        return self.intact and self.trusted

    @property
    def message(self) -> str:
        """One sentence for the official: the verdict."""
        name = self.path.name
        if self.status is VerificationStatus.UNREADABLE:
            return f"Không kiểm tra được «{name}»: {self.detail}"
        if self.status is VerificationStatus.UNSIGNED:
            return f"«{name}» chưa ký số. {self.detail}".strip()
        if self.status is VerificationStatus.MODIFIED:
            return f"«{name}» ĐÃ BỊ SỬA ĐỔI sau khi ký: chữ ký không còn giá trị."
        if self.trusted:
            return f"«{name}» còn nguyên vẹn từ khi ký; người ký được tin cậy."
        return (
            f"«{name}» còn nguyên vẹn từ khi ký, nhưng chứng thư của người ký CHƯA được tin "
            "cậy trên máy này: hãy đối chiếu vân tay chứng thư với bản giấy."
        )


def _validation_context(trusted: Sequence[x509.Certificate]) -> ValidationContext:
    # An explicit (possibly empty) list: never the operating system's CA store,
    # and never the network (no OCSP/CRL fetching from an offline app).
    return ValidationContext(
        trust_roots=[translate_pyca_cryptography_cert_to_asn1(c) for c in trusted],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def _signed_at(reported: datetime | None) -> datetime | None:
    return reported.astimezone(VIETNAM_TIME) if reported is not None else None


def _is_trusted(
    path_trusted: bool,
    certificate: x509.Certificate,
    signed_at: datetime | None,
    trusted: Sequence[x509.Certificate],
) -> bool:
    """Trusted by path validation, or the very certificate is on the list.

    The second case keeps a report signed with the commune's own, since
    expired, certificate trusted: it was valid when the report was signed.
    """
    if path_trusted:
        return True
    wanted = fingerprint_hex(certificate)
    if not any(fingerprint_hex(c) == wanted for c in trusted):
        return False
    info = describe(certificate)
    return signed_at is not None and info.valid_at(signed_at)


def verify_pdf(path: Path, trusted: Sequence[x509.Certificate]) -> VerificationResult:
    """Check every signature of a PDF and that nothing follows the last one."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return VerificationResult(
            path, "pdf", VerificationStatus.UNREADABLE, detail=f"không đọc được tệp ({exc})."
        )
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except Exception:
        # A damaged or hostile file must give an answer, never a crash.
        return VerificationResult(
            path, "pdf", VerificationStatus.UNREADABLE, detail="tệp PDF bị hỏng hoặc bị cắt cụt."
        )
    if not embedded:
        return VerificationResult(
            path, "pdf", VerificationStatus.UNSIGNED, detail="Tệp PDF không có chữ ký số nào."
        )
    checks = []
    for index, signature in enumerate(embedded):
        last = index == len(embedded) - 1
        checks.append(_check_pdf_signature(signature, trusted, last=last))
    status = (
        VerificationStatus.INTACT if all(c.intact for c in checks) else VerificationStatus.MODIFIED
    )
    return VerificationResult(path, "pdf", status, tuple(checks))


def _check_pdf_signature(
    signature: EmbeddedPdfSignature, trusted: Sequence[x509.Certificate], *, last: bool
) -> SignatureCheck:
    certificate = x509.load_der_x509_certificate(signature.signer_cert.dump())
    try:
        status = validate_pdf_signature(
            signature, _validation_context(trusted), key_usage_settings=_USAGE
        )
    except Exception:
        return SignatureCheck(
            describe(certificate),
            certificate,
            intact=False,
            trusted=False,
            signed_at=_signed_at(signature.self_reported_timestamp),
            problem="Chữ ký bị hỏng, không kiểm tra được.",
        )
    signed_at = _signed_at(status.signer_reported_dt)
    problem = None
    intact = status.intact and status.valid
    if not intact:
        problem = "Nội dung đã bị thay đổi sau khi ký (mã băm hoặc chữ ký không khớp)."
    elif last and status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        # Bytes after the last signature: an edit appended to the file.
        intact = False
        problem = "Có dữ liệu được thêm vào tệp sau chữ ký cuối cùng."
    elif not last and (
        status.coverage is SignatureCoverageLevel.UNCLEAR
        or status.modification_level is None
        or status.modification_level > ModificationLevel.FORM_FILLING
        or not status.docmdp_ok
    ):
        # Later revisions may only add signatures, never change the content.
        intact = False
        problem = "Tệp đã bị sửa đổi sau chữ ký này (ngoài việc thêm chữ ký khác)."
    return SignatureCheck(
        signer=describe(certificate),
        certificate=certificate,
        intact=intact,
        trusted=_is_trusted(status.trusted, certificate, signed_at, trusted),
        signed_at=signed_at,
        problem=problem,
    )


def verify_detached(
    path: Path, trusted: Sequence[x509.Certificate], signature_file: Path | None = None
) -> VerificationResult:
    """Check a file against its detached CMS signature (``F`` + ``.sig`` by default)."""
    path = Path(path)
    sig_path = Path(signature_file) if signature_file is not None else signature_path(path)

    def answer(
        status: VerificationStatus,
        checks: tuple[SignatureCheck, ...] = (),
        detail: str = "",
    ) -> VerificationResult:
        return VerificationResult(path, "detached", status, checks, sig_path, detail)

    if not sig_path.is_file():
        return answer(
            VerificationStatus.UNSIGNED, detail=f"Không có tệp chữ ký «{sig_path.name}» bên cạnh."
        )
    try:
        data = path.read_bytes()
        raw = sig_path.read_bytes()
    except OSError as exc:
        return answer(VerificationStatus.UNREADABLE, detail=f"không đọc được tệp ({exc}).")
    try:
        content = cms.ContentInfo.load(raw)
        if content["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed_data = content["content"]
        signer_cert = _cms_signer_certificate(signed_data)
        status = asyncio.run(
            async_validate_detached_cms(
                data,
                signed_data,
                signer_validation_context=_validation_context(trusted),
                key_usage_settings=_USAGE,
            )
        )
    except Exception:
        # Any malformed signature file is answered, not raised.
        return answer(
            VerificationStatus.UNREADABLE,
            detail=f"tệp chữ ký «{sig_path.name}» bị hỏng hoặc không phải chữ ký CMS.",
        )
    signed_at = _signed_at(status.signer_reported_dt)
    intact = status.intact and status.valid
    check = SignatureCheck(
        signer=describe(signer_cert),
        certificate=signer_cert,
        intact=intact,
        trusted=_is_trusted(status.trusted, signer_cert, signed_at, trusted),
        signed_at=signed_at,
        problem=None if intact else "Nội dung tệp đã bị thay đổi sau khi ký (mã băm không khớp).",
    )
    return answer(VerificationStatus.INTACT if intact else VerificationStatus.MODIFIED, (check,))


def _cms_signer_certificate(signed_data: cms.SignedData) -> x509.Certificate:
    from pyhanko.sign.general import extract_certificate_info

    certificate = extract_certificate_info(signed_data).signer_cert
    return x509.load_der_x509_certificate(certificate.dump())


def verify_file(path: Path, trusted: Sequence[x509.Certificate]) -> VerificationResult:
    """Check a signed PDF, or any other file against its ``.sig``.

    Given ``F.xlsx.sig`` itself, checks ``F.xlsx`` against it.

    Args:
        path: The file.
        trusted: Certificates this database trusts (its own, and those of
            communes it accepted); a signer outside this list is reported
            as not trusted, never as tampered.
    """
    path = Path(path)
    if path.suffix.lower() == SIGNATURE_SUFFIX:
        return verify_detached(path.with_suffix(""), trusted, signature_file=path)
    if not path.is_file():
        return VerificationResult(
            path, "unknown", VerificationStatus.UNREADABLE, detail="không có tệp này."
        )
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" in head:
        return verify_pdf(path, trusted)
    return verify_detached(path, trusted)
