"""Revision 0007 rebuilds ``exchange_partners``: an office's ledger must survive it.

SQLite rebuilds a table to change its check constraint; with foreign keys
enforced, dropping the old table under the certificates and imports that
point at it fails. The upgrade switches enforcement off for its duration
and checks the keys afterwards.
"""

from datetime import UTC, datetime

from sqlalchemy import text

from xhht_desktop.context import Actor, open_context
from xhht_desktop.store import migrate
from xhht_desktop.store.engine import make_engine


def test_a_0006_office_ledger_keeps_its_partners_certificates_and_imports(settings):
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine, "0006")
    now = datetime.now(UTC).isoformat()
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO exchange_partners (code, role, name, province_name, fingerprint, "
                "trusted_at, trusted_by, last_sequence, settings) VALUES "
                "('24717', 'commune', 'Xã Đức An', 'Lâm Đồng', :fp, :now, 'admin', 1, '{}')"
            ),
            {"fp": "a" * 64, "now": now},
        )
        connection.execute(
            text(
                "INSERT INTO exchange_certificates (fingerprint, partner_code, usage, pem, "
                "trusted_at, trusted_by) VALUES (:fp, '24717', 'signing', 'PEM', :now, 'admin')"
            ),
            {"fp": "a" * 64, "now": now},
        )
        connection.execute(
            text(
                "INSERT INTO exchange_imports (partner_code, sequence, year, package_sha256, "
                "signer_fingerprint, created_at, imported_at, imported_by, app_version, "
                "schema_revision, summary, warnings, receipt) VALUES "
                "('24717', 1, 2026, :sha, :fp, :now, :now, 'admin', '0.1', '0006', '{}', '[]', '')"
            ),
            {"sha": "b" * 64, "fp": "a" * 64, "now": now},
        )
    engine.dispose()

    context = open_context(settings, Actor("test"))
    try:
        assert migrate.current_revision(context.engine) == migrate.head_revision()
        with context.engine.connect() as connection:
            partners = connection.execute(text("SELECT code, role FROM exchange_partners")).all()
            imports = connection.execute(
                text("SELECT partner_code, sequence, sources FROM exchange_imports")
            ).all()
            certificates = connection.execute(
                text("SELECT partner_code FROM exchange_certificates")
            ).all()
            enforced = connection.execute(text("PRAGMA foreign_keys")).scalar()
        assert [tuple(row) for row in partners] == [("24717", "commune")]
        assert [tuple(row) for row in imports] == [("24717", 1, "[]")]
        assert [tuple(row) for row in certificates] == [("24717",)]
        assert enforced == 1
    finally:
        context.close()
