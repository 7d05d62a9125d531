"""``python -m newsrelay``."""

from newsrelay.cli import main

main()
