"""Run the command line as `python -m briefbook`, with the same signal handling as the script."""

from briefbook.launch import main

main()
