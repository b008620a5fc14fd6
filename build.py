"""Build the annotated dossier: `python build.py --help`."""

import sys
from pathlib import Path

from dossier.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], default_root=Path(__file__).resolve().parent))
