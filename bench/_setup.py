"""What every benchmark starts from (imported first by each script in bench/).

- the project importable (``summit``) when a script runs as ``python bench/NAME.py``;
- the articles to measure on: the PolNeAR dev articles when ``../shared`` is there,
  else the project's own ``seeds/``;
- for the benchmarks that use Django, a new SQLite database in a temporary folder,
  migrated (the operator's own database is never touched);
- how to time a call.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear-dev" / "articles"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def default_articles() -> Path:
    """The PolNeAR dev articles when they are beside the checkout, else seeds/."""
    return POLNEAR if POLNEAR.is_dir() else SEEDS


def scratch_django(**environ: str) -> None:
    """Set Django up over a new, migrated SQLite database in a temporary folder.

    ``environ`` sets defaults for other settings read from the environment.
    """
    tmp = tempfile.mkdtemp(prefix="summit-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
    for name, value in environ.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def manage(env: dict[str, str], *argv: str, show: bool = True, indent: str = "") -> str:
    """The output of ``manage.py ARGV`` run with ``env``; printed as an operator would see
    it (the command, then its output) unless ``show`` is false."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *argv],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if show:
        print(f"{indent}$ manage.py {' '.join(argv)}")
        print(f"{indent}  " + out.strip().replace("\n", f"\n{indent}  "))
    return out
