"""The `charity-ledger` command line: `main` holds the root parser, the dispatch and the exit codes; `output`
the printing helpers; every other module is one group of subcommands, with its argparse definitions
(`add_parsers`) beside its handlers (`cmd_…`)."""
