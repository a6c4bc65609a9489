"""The frozen program's entry point (PyInstaller runs this file as __main__): the same `charity-ledger`
command a pip install gives, with no subcommand opening the window."""

import sys

from desktop_app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
