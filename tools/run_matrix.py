#!/usr/bin/env python
"""Run frozen configs x seeds into `runs/<dataset>-<variant>-seed<k>`, the layout `tools/results_table.py` reads.

    python tools/run_matrix.py                                   # every configs/*/*.json row (not the `_base.json` files), seeds 0 1 2
    python tools/run_matrix.py configs/amazon-beauty/sasrec.json --seeds 0 1 2
    python tools/run_matrix.py configs/ml-100k/*.json --seeds 0 --dry-run

How a seed is set (the one mechanism): the frozen config, resolved through its `base` chain, is copied with only its `seed` field replaced, written
to `runs/.matrix/<dataset>-<variant>-seed<k>.json`, and trained with the ordinary command

    coderrec-train --config runs/.matrix/<dataset>-<variant>-seed<k>.json --out runs/<dataset>-<variant>-seed<k>

so every run is a plain `coderrec-train` run, its `config.json` records the seed it used, and the results table
checks that each run's config equals the frozen one in every other field. Runs that already have
`results.json` are skipped; an interrupted one (config.json present, no results) is continued with `--resume`.
Runs go one after another, each in its own process; a failure is reported and the next run starts.
A finished run's small record (`config.json`, `results.json`, `history.json`) is copied into
`results/<dataset>-<variant>-seed<k>/` (`--archive`), the committed folder the results table is built from;
checkpoints and weights stay in `runs/`.

Reusing a finished phase (`--reuse PHASE=VARIANT`): a row whose first phase is another row's, for example LARES SPT + RPT
after LARES SPT, or the LatentR3 ID port's Gaussian-policy variant after the port itself, can start from that row's finished
run of the same seed instead of training the phase again:

    python tools/run_matrix.py configs/ml-100k/lares.json --seeds 1 --reuse spt=lares-spt

copies `<PHASE>-last.pt` and `<PHASE>-best.safetensors` of `runs/<dataset>-<VARIANT>-seed<k>` (which must have finished)
into the new run directory, writes its `config.json`, and resumes, so the loop goes straight to the next phase. It refuses
when the two configs differ in the data, the seed or that phase's own settings, or in the kind unless both methods build the same
model and have that phase (CoderRec's warm-up is the cross-scale model's: `--reuse warmup=cross-scale-aux`); every other field in which they
differ is listed in the run's `SEEDED.txt` (archived with the record): by reusing, you state that those fields do not act in
that phase (for the two examples: `model.rpt`, `model.policy`). Without `--reuse` every run trains every phase.
"""
from __future__ import annotations
import argparse, json, shutil, subprocess, sys
from pathlib import Path

def derived_config(frozen:Path, seed:int) -> dict:
    "The frozen config, its `base` chain resolved (`coderrec.training.resolve_config`), with `seed` replaced (nothing else changes)."
    from coderrec.training import resolve_config
    return {**resolve_config(frozen), 'seed': seed}

def plan(configs:list, seeds:list[int], runs:Path) -> list[tuple]:
    "(frozen config, seed, derived config path, run dir) for every pair."
    out = []
    for c in configs:
        c = Path(c); stem = f'{c.parent.name}-{c.stem}'
        for s in seeds: out.append((c, s, runs/'.matrix'/f'{stem}-seed{s}.json', runs/f'{stem}-seed{s}'))
    return out

def train_command(cfg_path:Path, out:Path, device:str|None=None) -> list[str]:
    exe = shutil.which('coderrec-train') or str(Path(sys.executable).parent/'coderrec-train')
    cmd = [exe, '--config', str(cfg_path), '--out', str(out)]
    if (out/'config.json').exists(): cmd.append('--resume')
    if device: cmd += ['--device', device]
    return cmd

def reuse_phase(frozen:Path, seed:int, out:Path, phase:str, variant:str, runs:Path, dry_run:bool=False) -> str:
    "Seed `out` with `phase` of the finished run `runs/<dataset>-<variant>-seed<seed>` (`coderrec.training.seed_phase`); returns what was done."
    from coderrec.training import RunConfig, seed_phase
    src = runs/f'{frozen.parent.name}-{variant}-seed{seed}'
    if (out/'config.json').exists(): return f'reuse: {out} has started already; not seeded'
    cfg = RunConfig.from_dict(derived_config(frozen, seed))
    diff = seed_phase(src, out, cfg, phase, how=f'tools/run_matrix.py --reuse {phase}={variant}', dry_run=dry_run)
    if dry_run: return f'reuse: would seed {out} with {phase!r} of {src} (differing fields: {", ".join(diff) or "none"})'
    return f'reuse: seeded {out} with {phase!r} of {src}'

def archive(out:Path, dest:str):
    "Copy the finished run's record into `dest` (see `coderrec.results.archive_run`)."
    from coderrec.results import archive_run
    try: print(f'record: {archive_run(out, dest)}', flush=True)
    except ValueError as e: print(f'not archived: {e}', file=sys.stderr)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split('\n', 2)[2])
    p.add_argument('configs', nargs='*', help='frozen configs (default: configs/*/*.json)')
    p.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2], help='seeds to run')
    p.add_argument('--runs', default='runs', help='where run directories go')
    p.add_argument('--device', default=None, help="passed to coderrec-train ('cpu', 'cuda', ...)")
    p.add_argument('--archive', default='results', help="copy each finished run's record here ('' : don't)")
    p.add_argument('--dry-run', action='store_true', help='print the commands only')
    p.add_argument('--reuse', default='', metavar='PHASE=VARIANT', help="start each run from phase PHASE of the finished run of row VARIANT, same dataset and seed (see above)")
    args = p.parse_args(argv)
    configs = args.configs or sorted(str(c) for c in Path('configs').glob('*/*.json') if not c.name.startswith('_') and not c.name.endswith('.space.json'))
    if not configs: p.error('no configs given and none under configs/*/*.json')
    if args.reuse and '=' not in args.reuse: p.error(f"--reuse: expected PHASE=VARIANT (e.g. spt=lares-spt), got {args.reuse!r}")
    failed = []
    for frozen, seed, cfg_path, out in plan(configs, args.seeds, Path(args.runs)):
        if (out/'results.json').exists():
            print(f'done already: {out}')
            if args.archive and not args.dry_run: archive(out, args.archive)
            continue
        if args.reuse:
            try: print(reuse_phase(Path(frozen), seed, out, *args.reuse.split('=', 1), Path(args.runs), args.dry_run), flush=True)
            except ValueError as e: failed.append(str(out)); print(f'FAILED: {e}', file=sys.stderr); continue
        cmd = train_command(cfg_path, out, args.device)
        print('$ ' + ' '.join(cmd), flush=True)
        if args.dry_run: continue
        cfg_path.parent.mkdir(parents=True, exist_ok=True)
        cfg_path.write_text(json.dumps(derived_config(frozen, seed), indent=2) + '\n', encoding='utf-8')
        if subprocess.run(cmd).returncode != 0: failed.append(str(out)); print(f'FAILED: {out}', file=sys.stderr)
        elif args.archive: archive(out, args.archive)
    if failed: sys.exit(f"{len(failed)} run(s) failed: {', '.join(failed)}")

if __name__ == '__main__': main()
