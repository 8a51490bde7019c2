"""Signing use cases: the unit's signing identity, signing reports, checking signatures.

The key lives in the user's data folder, one folder per unit (and apart for
the demo commune, so that a demo key never signs a real report)::

    keys/24717/signing.p12        key + certificate, password-protected PKCS#12
    keys/24717/signing.crt        the certificate alone (PEM), readable without the password
    keys/24717/history/*.crt      every certificate this unit has signed with
    keys/24717/signature.png      optional stamp pictures (blue signature, red seal)
    keys/24717/seal.png

The password is never stored: the caller asks for it (the GUI in a dialog,
the CLI from ``XHHT_KEY_PASSWORD`` or a prompt). Only approvers and
administrators may create or import a key and sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509

from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import CertificateInfo, CertificateSubject, KeyType
from xhht_desktop.errors import (
    CertificateRefused,
    NoCertificate,
    SigningRefused,
)
from xhht_desktop.reports import signing
from xhht_desktop.reports.signing import (
    SignatureAppearance,
    SignedFile,
    SigningIdentity,
    StampImages,
    TokenConfig,
    VerificationResult,
)
from xhht_desktop.store import app_settings
from xhht_desktop.store.files import write_atomically
from xhht_desktop.store.models import AuditEntry

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.setup import InstallationInfo

SIGNING_ROLES = frozenset({"approver", "admin"})
TOKEN_SETTING = "signing.token"
AUDIT_ENTITY = "signature"


@dataclass(frozen=True)
class TokenStatus:
    """Whether a USB token can be used, and why not.

    Attributes:
        config: The configured token, or ``None``.
        module_found: The configured PKCS#11 library exists on this machine.
        library_installed: python-pkcs11 is installed.
    """

    config: TokenConfig | None
    module_found: bool
    library_installed: bool

    @property
    def usable(self) -> bool:
        return self.config is not None and self.module_found and self.library_installed


class SigningService:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    # ----------------------------------------------------------- where
    def _installation(self) -> InstallationInfo:
        return self.context.setup.require()

    @property
    def folder(self) -> Path:
        """This unit's key folder (``keys/<code>`` or ``keys/<code>-demo``)."""
        info = self._installation()
        name = info.owner_code + ("-demo" if info.is_demo else "")
        return self.context.settings.data_dir / "keys" / name

    @property
    def key_file(self) -> Path:
        return self.folder / "signing.p12"

    @property
    def certificate_file(self) -> Path:
        return self.folder / "signing.crt"

    # ---------------------------------------------------------- identity
    def _require_signer(self) -> None:
        self.context.require("sign")

    def certificate(self) -> x509.Certificate | None:
        """The unit's current certificate (from its PKCS#12 file), or ``None``."""
        path = self.certificate_file
        if not path.is_file():
            return None
        return certificates.load_certificates(path.read_bytes())[0]

    def info(self) -> CertificateInfo | None:
        certificate = self.certificate()
        return certificates.describe(certificate) if certificate is not None else None

    def default_subject(self, name: str | None = None) -> CertificateSubject:
        """What a new certificate of this unit names: e.g. CN "UBND Xã Đức An"."""
        info = self._installation()
        if info.role == "commune":
            organization = info.commune_name or ""
            common_name = f"UBND {organization}"
        else:
            organization = info.office_name or ""
            common_name = organization
        return CertificateSubject(
            common_name=(name or "").strip() or common_name,
            organization=organization,
            locality=info.province_name,
            code=info.owner_code,
        )

    def create_certificate(
        self,
        password: str,
        *,
        name: str | None = None,
        key_type: KeyType = "rsa",
        replace: bool = False,
    ) -> CertificateInfo:
        """Make the unit's key and self-signed certificate, kept under ``password``.

        Args:
            password: Protects the key file; at least 8 characters.
            name: The certificate's common name; "UBND <commune>" by default.
            key_type: ``"rsa"`` (3072 bit, default) or ``"ec"`` (P-256).
            replace: Replace an existing key. The old certificate stays in the
                history, so reports it signed still verify as the unit's own.

        Raises:
            PermissionDenied: The user is neither approver nor administrator.
            CertificateRefused: A key exists and ``replace`` is false, or the
                password is too short.
        """
        self._require_signer()
        certificates.check_password(password)
        self._refuse_existing(replace)
        key, certificate = certificates.create_certificate(
            self.default_subject(name), key_type=key_type
        )
        data = certificates.to_pkcs12(key, certificate, password)
        return self._store(data, certificate, action="create")

    def import_pkcs12(self, file: Path, password: str, *, replace: bool = False) -> CertificateInfo:
        """Take the unit's key and certificate from a PKCS#12 (.p12/.pfx) file.

        The file is checked (it opens with ``password``, its key matches its
        certificate, the certificate may sign and is valid now) and stored
        re-encrypted under the same password with current algorithms.

        Raises:
            PermissionDenied: The user is neither approver nor administrator.
            KeyPasswordWrong: The password does not open the file.
            CertificateRefused: The file cannot sign, a key exists and
                ``replace`` is false, or the password is too short to keep.
        """
        self._require_signer()
        self._refuse_existing(replace)
        try:
            raw = Path(file).read_bytes()
        except OSError as exc:
            raise CertificateRefused(f"Không đọc được tệp '{file}': {exc.strerror or exc}") from exc
        material = certificates.load_pkcs12(raw, password)
        certificates.check_password(password)
        data = certificates.to_pkcs12(material.key, material.certificate, password, material.chain)
        return self._store(data, material.certificate, action="import")

    def _refuse_existing(self, replace: bool) -> None:
        if self.key_file.exists() and not replace:
            raise CertificateRefused(
                "Đơn vị đã có khóa ký số. Muốn thay bằng khóa khác, hãy chọn thay thế "
                "(dòng lệnh: --replace); chứng thư cũ vẫn được giữ để kiểm tra các báo cáo "
                "đã ký."
            )

    def _store(self, data: bytes, certificate: x509.Certificate, *, action: str) -> CertificateInfo:
        pem = certificates.certificate_pem(certificate)
        self._remember(certificate)
        write_atomically(self.key_file, lambda handle: handle.write(data))
        write_atomically(self.certificate_file, lambda handle: handle.write(pem))
        info = certificates.describe(certificate)
        self._audit(
            action,
            certificate,
            field="certificate",
            value=f"{info.common_name}; hiệu lực đến {info.not_after.date().isoformat()}",
        )
        return info

    def _remember(self, certificate: x509.Certificate) -> None:
        """Keep ``certificate`` in the history of certificates this unit signs with."""
        target = self.folder / "history" / f"{certificates.fingerprint_hex(certificate)[:16]}.crt"
        if not target.exists():
            pem = certificates.certificate_pem(certificate)
            write_atomically(target, lambda handle: handle.write(pem))

    def own_certificates(self) -> list[x509.Certificate]:
        """Every certificate this unit has signed with, current first."""
        if self.context.setup.installation() is None:
            return []
        found: dict[str, x509.Certificate] = {}
        current = self.certificate()
        if current is not None:
            found[certificates.fingerprint_hex(current)] = current
        history = self.folder / "history"
        for path in sorted(history.glob("*.crt")) if history.is_dir() else ():
            try:
                for certificate in certificates.load_certificates(path.read_bytes()):
                    found.setdefault(certificates.fingerprint_hex(certificate), certificate)
            except (OSError, CertificateRefused):
                continue  # a damaged history file only loses that one certificate
        return list(found.values())

    def trusted_certificates(self) -> list[x509.Certificate]:
        """The certificates whose signatures this database accepts as known.

        The unit's own (current and earlier), and those of the partners it
        trusts for data packages: the communes an office accepted, the
        receiving office of a commune.
        """
        return [*self.own_certificates(), *self.context.exchange.trusted_certificates()]

    # ------------------------------------------------------------- token
    def token_config(self) -> TokenConfig | None:
        with self.context.reading() as session:
            value = app_settings.read(session, TOKEN_SETTING)
        if not isinstance(value, dict) or not value.get("module"):
            return None
        return TokenConfig(
            module=Path(str(value["module"])),
            token_label=value.get("token_label") or None,
            key_label=value.get("key_label") or None,
            cert_label=value.get("cert_label") or None,
        )

    def set_token(self, config: TokenConfig | None) -> None:
        """Use a USB token (PKCS#11) to sign, or stop using one (``None``)."""
        self._require_signer()
        value = None
        if config is not None:
            value = {
                "module": str(config.module),
                "token_label": config.token_label,
                "key_label": config.key_label,
                "cert_label": config.cert_label,
            }
        with self.context.transaction() as session:
            app_settings.write(session, TOKEN_SETTING, value)

    def token_status(self) -> TokenStatus:
        """Whether a configured USB token can be used on this machine."""
        config = self.token_config()
        return TokenStatus(
            config=config,
            module_found=config is not None and config.module.is_file(),
            library_installed=signing.token_library_installed(),
        )

    # ------------------------------------------------------------ signing
    def load_identity(self, password: str) -> SigningIdentity:
        """Open the unit's signing key: the USB token when one is configured, else the PKCS#12.

        Args:
            password: The PKCS#12 password, or the token's PIN.

        Raises:
            NoCertificate: Neither a token nor a key file is set up.
            KeyPasswordWrong: The password does not open the key file.
            TokenUnavailable: The configured token cannot be used.
        """
        token = self.token_config()
        if token is not None:
            identity = signing.open_token_identity(token, password)
            self._remember(identity.certificate)
            return identity
        if not self.key_file.is_file():
            raise NoCertificate()
        return signing.identity_from_pkcs12(self.key_file.read_bytes(), password)

    def stamp_images(self) -> StampImages:
        """The stored signature and seal pictures (either may be missing)."""
        signature = self.folder / "signature.png"
        seal = self.folder / "seal.png"
        return StampImages(
            signature=signature if signature.is_file() else None,
            seal=seal if seal.is_file() else None,
        )

    def set_stamp_images(
        self, *, signature: Path | None = None, seal: Path | None = None
    ) -> StampImages:
        """Store the signature (blue) and seal (red) pictures that stamps show.

        A ``None`` leaves that picture as it is; see :meth:`clear_stamp_images`.

        Raises:
            SigningRefused: A picture is not a readable PNG.
        """
        self._require_signer()
        pictures = ((signature, "signature.png", "Ảnh chữ ký"), (seal, "seal.png", "Ảnh con dấu"))
        for source, name, what in pictures:
            if source is None:
                continue
            signing.check_png(Path(source), what)
            data = Path(source).read_bytes()
            write_atomically(self.folder / name, lambda handle, data=data: handle.write(data))
        return self.stamp_images()

    def clear_stamp_images(self) -> None:
        self._require_signer()
        for name in ("signature.png", "seal.png"):
            (self.folder / name).unlink(missing_ok=True)

    def appearance(
        self, identity: SigningIdentity, images: StampImages | None = None
    ) -> SignatureAppearance:
        """The stamp of this unit: signer and title from the settings, stored pictures."""
        info = self._installation()
        place = info.commune_name or info.office_name or ""
        return SignatureAppearance(
            signer_name=info.signer_name,
            signer_title=info.signer_title,
            organization=identity.info.common_name,
            images=images if images is not None else self.stamp_images(),
            location=f"{place}, {info.province_name}".strip(", "),
        )

    def sign(
        self,
        path: Path,
        identity: SigningIdentity,
        *,
        out: Path | None = None,
        page: int = -1,
        box: tuple[int, int, int, int] | None = None,
        images: StampImages | None = None,
    ) -> SignedFile:
        """Sign a report: a PDF gets a PAdES signature, any other file a ``.sig`` beside it.

        Args:
            path: The PDF or XLSX file.
            identity: From :meth:`load_identity`.
            out: Where the signed PDF goes (default: replace ``path``), or the
                detached signature file (default: ``path`` + ``.sig``).
            page: The PDF page of the stamp (default the last).
            box: The stamp's rectangle in PDF points (default bottom right).
            images: Stamp pictures for this signature; the stored ones by default.

        Raises:
            PermissionDenied: The user is neither approver nor administrator.
            CertificateRefused: The certificate has expired.
            SigningRefused: The file cannot be signed.
        """
        self._require_signer()
        certificates.check_usage(identity.certificate)
        path = Path(path)
        if not path.is_file():
            raise SigningRefused(f"Không có tệp '{path}'.")
        with path.open("rb") as handle:
            is_pdf = handle.read(1024).lstrip().startswith(b"%PDF-")
        if is_pdf:
            result = signing.sign_pdf(
                path,
                out or path,
                identity,
                self.appearance(identity, images),
                page=page,
                box=box,
            )
        else:
            result = signing.sign_detached(path, identity, target=out)
        self._audit(
            "sign",
            identity.certificate,
            field=path.name[:64],
            value=f"{path} → {result.path} ({signing.iso_time(result.signed_at)})",
        )
        return result

    def verify(self, path: Path) -> VerificationResult:
        """Whether a signed PDF (or a file with its ``.sig``) is intact, and who signed it."""
        return signing.verify_file(Path(path), self.trusted_certificates())

    def _audit(self, action: str, certificate: x509.Certificate, *, field: str, value: str) -> None:
        with self.context.transaction() as session:
            session.add(
                AuditEntry(
                    actor=self.context.actor.name,
                    action=action,
                    entity=AUDIT_ENTITY,
                    record_id=certificates.fingerprint_hex(certificate)[:36],
                    field=field,
                    old_value=None,
                    new_value=value,
                )
            )
