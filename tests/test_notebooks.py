"""Execute every notebook with nbdev's own executor: one pytest test per notebook, which must leave the method registry as it found it.

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
    from coderrec.training import METHODS
    before = dict(METHODS)
    ok, secs = test_nb(nb, skip_flags=skip, force_flags=force, basepath=ROOT)
    assert ok, f"{nb.name} failed (see the traceback above)"
    # notebooks run in this process: one that registers its own classes must put the registry back, or a later test in
    # the same worker builds that kind from the notebook's classes (whose string annotations then fail to resolve)
    assert dict(METHODS) == before, f"{nb.name} left the method registry changed: {sorted(k for k in METHODS.keys() | before.keys() if METHODS.get(k) is not before.get(k))}"
