#!/usr/bin/env python
"""The README accuracy table, regenerated from the committed run records in `results/`.

    python tools/results_table.py                          # print the markdown table
    python tools/results_table.py --write README.md        # replace the block between the results markers
    python tools/results_table.py --runs results runs      # also count runs not archived yet
    python tools/results_table.py --figure bars.png        # and save the ablation bars

The logic lives in `coderrec.results` (notebook `nbs/05_results.ipynb`, which also renders the table and
figures in the docs); this script is its command line, also installed as `coderrec-results`.
"""
from coderrec.results import *  # noqa: F401,F403  (the names tests and users reach through this script)
from coderrec.results import main

if __name__ == '__main__': main()
