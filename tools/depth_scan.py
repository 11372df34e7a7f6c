#!/usr/bin/env python
"""Add the validation curve over test-time reasoning depth to finished runs (and their committed records).

    python tools/depth_scan.py runs/ml-100k-rearec-erl-seed0                  # the run's results.json
    python tools/depth_scan.py runs/ml-100k-rearec-* --records results        # and results/<run name>/results.json

A run of a method with a test-time depth (`Recommender.test_depths`: ReaRec's reasoning steps, LARES's core-block
iterations) records `valid_by_depth` and `depth` when it finishes; this command gives the same two fields to runs
that finished before the curve was recorded. It rebuilds the selected model through the registry
(`coderrec.training.load_run`), evaluates the validation split at every depth (`coderrec.evaluation.depth_curve`)
and rewrites `results.json` atomically with the two fields added; nothing else in the file changes and the test
split is not read. A run whose model has no depth knob is reported and left alone.
"""
from __future__ import annotations
import argparse, json, sys
from pathlib import Path


def scan(run:Path, device:str|None=None) -> dict:
    "(depth, {depth: metrics}) of a finished run's selected model, on validation."
    from coderrec.training import load_run, _metric_ks
    from coderrec.evaluation import depth_curve
    model, ctx, cfg = load_run(run, device)
    model.eval()
    if not model.test_depths(): raise ValueError(f'{run}: {type(model).__name__} has no test-time reasoning depth')
    ks = _metric_ks(cfg.metric, cfg.ks)
    return {'depth': model.current_depth(), 'valid_by_depth': {str(d): m for d, m in depth_curve(model, ctx.splits.valid, ks=ks).items()}}


def add_to(path:Path, fields:dict):
    "Rewrite `path` (a results.json) with `fields` added, atomically."
    from coderrec.core import atomic_write
    res = json.loads(path.read_text(encoding='utf-8'))
    res.update(fields)
    with atomic_write(path) as f: json.dump(res, f, indent=None if len(res.get('test_ranks', [])) >= 50 else 1)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split('\n', 2)[2])
    p.add_argument('runs', nargs='+', help='finished run directories')
    p.add_argument('--records', default='', help='also update <records>/<run name>/results.json when it exists')
    p.add_argument('--device', default=None, help="'cpu', 'cuda', ... (default: the best available)")
    args = p.parse_args(argv)
    bad = 0
    for r in map(Path, args.runs):
        try:
            if not (r/'results.json').exists(): raise ValueError(f'{r}: no results.json (not a finished run)')
            f = scan(r, args.device)
        except (ValueError, OSError) as e:
            print(f'skipped: {e}', file=sys.stderr); bad += 1; continue
        add_to(r/'results.json', f)
        rec = Path(args.records)/r.name/'results.json' if args.records else None
        if rec is not None and rec.exists(): add_to(rec, f)
        curve = ', '.join(f"{d}: {m.get('ndcg@10', next(iter(m.values()))):.4f}" for d, m in f['valid_by_depth'].items())
        print(f"{r} (ranks with depth {f['depth']}): validation by depth {curve}" + (f'; record {rec} updated' if rec is not None and rec.exists() else ''))
    return bad


if __name__ == '__main__': sys.exit(1 if main() else 0)
