"""USB data packages (``.xhht``): build, sign, encrypt, verify, import, merge.

A commune hands its registers to the consolidating office in a signed,
optionally encrypted package; the office verifies it completely before it
reads any record, keeps a ledger of sequence numbers per commune, shows what
would change and applies it in one transaction, then answers with a signed
receipt. The format is described in the README ("Gói dữ liệu .xhht (USB)")
and in :mod:`xhht_desktop.exchange.package`.

Nothing here imports Qt; the use cases are in
:mod:`xhht_desktop.services.exchange`.
"""
