"""Execute every notebook with nbdev's own executor: one pytest test per notebook.

Cells flagged with one of settings.ini's `tst_flags` (`#| slow`, `#| cuda`) are skipped unless the
environment variable CODERREC_TEST_FLAGS names them, e.g. CODERREC_TEST_FLAGS="slow cuda".
"""
import os
from configparser import ConfigParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'
NOTEBOOKS = sorted(p for p in NBS.rglob('*.ipynb') if not p.name.startswith('_') and '.ipynb_checkpoints' not in p.parts)

def flags():
    "(skip, force): the flags settings.ini declares, and those the environment forces."
    cfg = ConfigParser(); cfg.read(ROOT/'settings.ini')
    skip = cfg['DEFAULT'].get('tst_flags', '').replace('|', ' ').split()
    force = os.environ.get('CODERREC_TEST_FLAGS', '').split()
    return skip, force

def test_found_notebooks():
    assert NOTEBOOKS, f"no notebook found under {NBS}"

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook(nb, capsys):
    from nbdev.test import test_nb
    skip, force = flags()
    ok, secs = test_nb(nb, skip_flags=skip, force_flags=force, basepath=ROOT)
    assert ok, f"{nb.name} failed (see the traceback above)"
