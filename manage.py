#!/usr/bin/env python
"""Django's command-line utility for Summit."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
    from django.core.management import execute_from_command_line

    from summit.env import stop_on_env_error

    with stop_on_env_error():
        execute_from_command_line(sys.argv)
