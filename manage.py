#!/usr/bin/env python
"""Django's command-line utility for JoinedUp (operator commands live in each app's management/commands)."""

import os
import sys
from pathlib import Path


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    # Production is the default: development and test settings must be asked for explicitly.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
