"""Run the command line as `python -m briefbook`."""

from briefbook.cli import main

main()
