#!/usr/bin/env python
"""The README accuracy table, regenerated from run directories.

    python tools/results_table.py                      # print the markdown table
    python tools/results_table.py --write README.md    # replace the block between the results markers

A run directory (written by `coderrec.training.run`) holds `config.json` and `results.json`
({'valid': {...}, 'test': {...}, 'selected_phase', 'seed', 'data', ...}). A run counts towards the row of the
frozen config `configs/<dataset>/<variant>.json` when its directory is `runs/<dataset>-<variant>` (the
`coderrec-train` default) or `runs/<dataset>-<variant>-seed<k>` (what `tools/run_matrix.py` writes) AND its
`config.json` equals the frozen config in every field but `seed`. Anything else is listed as skipped, with
the reason, never silently averaged in. Each row gives mean ± sample standard deviation of the test metrics
over the seeds found (one seed: the value alone), the frozen config and the one command that reproduces it.
The paper's published figures follow, marked "published", with their source.
"""
from __future__ import annotations
import argparse, json, math, re, statistics, sys
from dataclasses import dataclass, field
from pathlib import Path

START, END = '<!-- results:start -->', '<!-- results:end -->'
METRICS = ('recall@5', 'ndcg@5', 'recall@10', 'ndcg@10')
DATASETS = {'ml-100k': 'MovieLens-100k', 'amazon-scientific': 'Amazon Scientific', 'amazon-beauty': 'Amazon Beauty',
            'amazon-instruments': 'Amazon Instruments'}
VARIANTS = {'sasrec': 'SASRec (item IDs)', 'sid-only': 'semantic IDs only', 'cross-scale': 'cross-scale',
            'cross-scale-aux': 'cross-scale + L_aux', 'coderrec': 'CoderRec (full)'}

# Published full-ranking leave-one-out test figures. Only numbers with a source we could read are here; a metric
# we could not source stays None and prints as "—" (never filled in from memory).
# Source: /work/shared/data/README.md, which quotes the CoderRec paper's Table 1 (AAAI 2026; SASRec and TIGER on
# Beauty are the TIGER paper's figures, reused there). The paper's @5 columns, its ReaRec rows and its Beauty
# ablation (Table 3) could not be read from any source available to this project, so they are left out.
PUBLISHED = [
    # dataset, method, {metric: value}, source
    ('amazon-beauty', 'SASRec', {'recall@10': 0.0605, 'ndcg@10': 0.0318}, 'CoderRec paper Table 1 (from the TIGER paper)'),
    ('amazon-beauty', 'TIGER', {'recall@10': 0.0648, 'ndcg@10': 0.0384}, 'CoderRec paper Table 1 (from the TIGER paper)'),
    ('amazon-beauty', 'CoderRec', {'recall@10': 0.0830, 'ndcg@10': 0.0511}, 'CoderRec paper Table 1'),
    ('amazon-instruments', 'SASRec', {'recall@10': 0.0947, 'ndcg@10': 0.0690}, 'CoderRec paper Table 1'),
    ('amazon-instruments', 'CoderRec', {'recall@10': 0.1355, 'ndcg@10': 0.1013}, 'CoderRec paper Table 1'),
]


@dataclass
class Row:
    "One results row: a frozen config and the seeds run from it."
    dataset: str # config folder, e.g. 'amazon-beauty'
    variant: str # config file stem, e.g. 'cross-scale'
    config: str # path of the frozen config, relative to the repository
    frozen_seed: int # the seed written in the frozen config
    runs: dict = field(default_factory=dict) # seed -> (run dir, results dict)

    def values(self, metric:str) -> list[float]: return [self.runs[s][1]['test'][metric] for s in sorted(self.runs)]

    def cell(self, metric:str) -> str:
        v = self.values(metric)
        if not v: return '—'
        return f'{v[0]:.4f}' if len(v) == 1 else f'{statistics.mean(v):.4f} ± {statistics.stdev(v):.4f}'

    def command(self) -> str:
        "The one command that reproduces this row."
        seeds = sorted(self.runs)
        only_default = seeds == [self.frozen_seed] and all(Path(d).name == f'{self.dataset}-{self.variant}' for d, _ in self.runs.values())
        if only_default: return f'coderrec-train --config {self.config}'
        return f"python tools/run_matrix.py {self.config} --seeds {' '.join(map(str, seeds))}"


def _read_json(p:Path):
    try: return json.loads(p.read_text(encoding='utf-8'))
    except (OSError, json.JSONDecodeError) as e: raise ValueError(f'{p}: {e}') from None

def _flat(d, pre=''):
    out = {}
    for k, v in (d or {}).items():
        if isinstance(v, dict): out.update(_flat(v, f'{pre}{k}.'))
        else: out[f'{pre}{k}'] = list(v) if isinstance(v, tuple) else v
    return out

def config_mismatch(frozen:dict, run:dict) -> list[str]:
    "Dotted fields (other than `seed`) where a run's config differs from the frozen one."
    a, b = _flat(frozen), _flat(run)
    diff = sorted(k for k in a.keys() | b.keys() if k != 'seed' and a.get(k, '<absent>') != b.get(k, '<absent>'))
    if diff and a.keys() != b.keys():  # maybe only defaults one file leaves out: compare the full configs
        try:
            from coderrec.training import RunConfig
            a, b = _flat(RunConfig.from_dict(frozen).to_dict()), _flat(RunConfig.from_dict(run).to_dict())
            diff = sorted(k for k in a.keys() | b.keys() if k != 'seed' and a.get(k, '<absent>') != b.get(k, '<absent>'))
        except Exception: pass
    return diff

def frozen_configs(configs:Path) -> dict:
    "`<dataset>-<variant>` -> (dataset, variant, path) for every `configs/<dataset>/<variant>.json`."
    return {f'{p.parent.name}-{p.stem}': (p.parent.name, p.stem, p) for p in sorted(configs.glob('*/*.json'))}

def collect(runs:str|Path='runs', # folder holding the run directories
            configs:str|Path='configs', # folder holding `<dataset>/<variant>.json`
            root:str|Path|None=None, # paths in the table are relative to this (default: the parent of `configs`)
           ) -> tuple[list[Row], list[str]]:
    "(rows with at least one finished run, skipped runs with their reason)."
    runs, configs = Path(runs), Path(configs)
    root = Path(root) if root is not None else configs.resolve().parent
    known, rows, skipped = frozen_configs(configs), {}, []
    for res_file in sorted(runs.glob('*/results.json')):
        d = res_file.parent; name = d.name
        m = re.fullmatch(r'(.+?)(?:-seed(\d+))?', name)
        stem = name if name in known else m.group(1) if m.group(2) is not None and m.group(1) in known else None
        if stem is None: skipped.append(f'{d}: no frozen config configs/<dataset>/<variant>.json matches the name'); continue
        ds, var, cpath = known[stem]
        try: res, cfg, frozen = _read_json(res_file), _read_json(d/'config.json'), _read_json(cpath)
        except ValueError as e: skipped.append(str(e)); continue
        diff = config_mismatch(frozen, cfg)
        if diff: skipped.append(f"{d}: config differs from {cpath} in {', '.join(diff[:6])}"); continue
        if 'test' not in res or any(k not in res['test'] for k in METRICS): skipped.append(f'{d}: results.json lacks test {", ".join(METRICS)}'); continue
        seed = res.get('seed', cfg.get('seed'))
        try: rel = str(cpath.resolve().relative_to(root.resolve()))
        except ValueError: rel = str(cpath)
        row = rows.setdefault(stem, Row(ds, var, rel, frozen.get('seed', 0)))
        if seed in row.runs:
            skipped.append(f'{d}: seed {seed} already counted from {row.runs[seed][0]}'); continue
        row.runs[seed] = (str(d), res)
    order = lambda r: (list(DATASETS).index(r.dataset) if r.dataset in DATASETS else len(DATASETS), r.dataset,
                       list(VARIANTS).index(r.variant) if r.variant in VARIANTS else len(VARIANTS), r.variant)
    return sorted(rows.values(), key=order), skipped


def _pub_cell(v) -> str: return '—' if v is None else f'{v:.4f}'

def render(rows:list[Row], skipped:list[str]=(), published:bool=True) -> str:
    "The markdown block: our rows per dataset, then the published figures."
    out = ['Test split, full ranking over all items, leave-one-out; mean ± sample std over the seeds listed. '
           'Regenerate with `python tools/results_table.py --write README.md`.', '',
           '| dataset | model | seeds | Recall@5 | NDCG@5 | Recall@10 | NDCG@10 | config | reproduce |',
           '|---|---|---|---:|---:|---:|---:|---|---|']
    for r in rows:
        out.append(f"| {DATASETS.get(r.dataset, r.dataset)} | {VARIANTS.get(r.variant, r.variant)} | {', '.join(map(str, sorted(r.runs)))} | "
                   + ' | '.join(r.cell(m) for m in METRICS) + f" | `{r.config}` | `{r.command()}` |")
    if not rows: out.append('| — | no finished runs found | | | | | | | |')
    if published:
        out += ['', 'Published figures (not run here), same protocol as reported by the paper:', '',
                '| dataset | model | Recall@5 | NDCG@5 | Recall@10 | NDCG@10 | source |', '|---|---|---:|---:|---:|---:|---|']
        for ds, method, vals, src in PUBLISHED:
            out.append(f'| {DATASETS.get(ds, ds)} | {method} (published) | ' + ' | '.join(_pub_cell(vals.get(m)) for m in METRICS) + f' | {src} |')
        out += ['', '"—": a figure we could not read from a source available to this project (the paper\'s @5 columns, '
                'its ReaRec rows, any other Instruments baseline, and its Beauty ablation, Table 3), left out rather than guessed.']
    if skipped: out += ['', 'Runs not in the table: ' + '; '.join(skipped) + '.']
    return '\n'.join(out) + '\n'


def replace_block(text:str, block:str, path:str='README.md') -> str:
    "`text` with everything between the results markers replaced by `block`."
    i, j = text.find(START), text.find(END)
    if i < 0 or j < 0 or j < i:
        raise ValueError(f"{path}: needs the markers {START} and {END} (in that order) around the results table")
    if text.count(START) > 1 or text.count(END) > 1: raise ValueError(f'{path}: the results markers appear more than once')
    return text[:i + len(START)] + '\n' + block + text[j:]

def write_block(path:str|Path, block:str) -> Path:
    "Replace the results block in the file at `path`, atomically."
    from coderrec.core import atomic_write
    path = Path(path); new = replace_block(path.read_text(encoding='utf-8'), block, str(path))
    with atomic_write(path) as f: f.write(new)
    return path


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split('\n', 2)[2])
    p.add_argument('--runs', default='runs', help='folder of run directories')
    p.add_argument('--configs', default='configs', help='folder of frozen configs <dataset>/<variant>.json')
    p.add_argument('--write', default='', help='replace the block between the results markers of this file (atomically)')
    p.add_argument('--no-published', action='store_true', help="leave out the paper's published figures")
    args = p.parse_args(argv)
    rows, skipped = collect(args.runs, args.configs)
    md = render(rows, skipped, not args.no_published)
    if args.write:
        try: write_block(args.write, md)
        except (OSError, ValueError) as e: sys.exit(f'error: {e}')
        print(f'{args.write}: results block replaced ({len(rows)} rows)', file=sys.stderr)
    else: print(md, end='')
    return md

if __name__ == '__main__': main()
