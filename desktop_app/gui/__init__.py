"""The PySide6 desktop interface: a thin layer over `desktop_app.core` (entry point: `startup.run`)."""
