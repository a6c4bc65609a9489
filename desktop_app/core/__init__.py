"""The core: never imports Qt (a test enforces it), usable from the CLI, tests and the GUI."""
