"""社区慈善台账 — Community Charity Ledger.

`desktop_app.core` is plain Python (no Qt): domain rules, storage, services and exporters.
`desktop_app.gui` is the thin PySide6 layer over it. `desktop_app.cli` drives the core headless.
"""

__version__ = "0.1.0"
