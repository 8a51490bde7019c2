"""The demo commune: set up once and filled with generated records.

The command line (``xhht demo``) and the GUI (``xhht gui --demo``) both go
through these functions, so the demo commune is the same everywhere. The
generator itself lives in ``services/demo.py`` and is imported only when
records are generated: opening an existing demo database does not pay for it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.demo import DemoSummary

DEMO_COMMUNE_CODE = "24717"  # Xã Đức An, Lâm Đồng: where the Đăk Song plan applied
DEMO_RECEIVING_OFFICE = "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng"
DEMO_SIGNER_NAME = "Nguyễn Văn Minh"
DEMO_SIGNER_TITLE = "Chủ tịch"


def init_demo_commune(context: AppContext, year: int | None = None) -> bool:
    """Set the database up as the demo commune unless it is set up already.

    Args:
        context: The open application context.
        year: Reporting year; the current year when ``None``.

    Returns:
        True when this call set the database up, False when it already was.
    """
    from xhht_desktop.services.setup import CommuneSetup

    if context.setup.is_set_up():
        return False
    context.setup.init_commune(
        CommuneSetup(
            commune_code=DEMO_COMMUNE_CODE,
            year=year or date.today().year,
            receiving_office=DEMO_RECEIVING_OFFICE,
            signer_name=DEMO_SIGNER_NAME,
            signer_title=DEMO_SIGNER_TITLE,
            is_demo=True,
        )
    )
    return True


def fill_demo(
    context: AppContext, *, persons: int = 3000, seed: int = 1, year: int | None = None
) -> DemoSummary:
    """Set the demo commune up if needed, then generate records into it.

    Args:
        context: The open application context.
        persons: How many persons to generate.
        seed: Seed of the generator; the same seed gives the same records.
        year: Reporting year; the installation's (or, for a new demo commune,
            the current) year when ``None``.

    Returns:
        What the generator created.
    """
    from xhht_desktop.services.demo import DemoService

    init_demo_commune(context, year)
    # A commune set up earlier keeps its own reporting year unless told otherwise.
    year = year or context.setup.require().year
    return DemoService(context).generate(persons=persons, seed=seed, year=year)


def needs_demo(context: AppContext) -> bool:
    """Whether ``ensure_demo`` would create records: nothing set up, or an empty demo.

    A demo commune left empty (a first start interrupted between the set-up
    and the records) still needs its records; real data never does.
    """
    info = context.setup.installation()
    if info is None:
        return True
    return info.is_demo and not any(context.setup.counts().values())


def ensure_demo(
    context: AppContext, *, persons: int = 3000, seed: int = 1, year: int | None = None
) -> bool:
    """Make a database that is not set up yet into a filled demo commune.

    A database that is set up already (a demo opened a second time, or real
    data) is left alone; see ``needs_demo``.

    Returns:
        True when the demo commune was filled by this call.
    """
    if not needs_demo(context):
        return False
    fill_demo(context, persons=persons, seed=seed, year=year)
    return True
