"""The results-table tool (a thin command line over `coderrec.results`): aggregation over seeds from run directories,
README block replacement, the run matrix plan and its archiving of finished runs, and the depth-scan tool's record update."""
import json, statistics, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
import results_table as rt
import run_matrix as rm

CFG = {'data': 'beauty', 'seed': 0, 'model': {'d_model': 64, 'use_sid': False}, 'ks': [5, 10]}

def metrics(x): return {'recall@5': x, 'ndcg@5': x/2, 'recall@10': 2*x, 'ndcg@10': x}

def make_run(runs, name, seed, x, cfg=CFG):
    d = runs/name; d.mkdir(parents=True)
    (d/'config.json').write_text(json.dumps({**cfg, 'seed': seed}))
    (d/'results.json').write_text(json.dumps({'valid': metrics(x), 'test': metrics(x), 'selected_phase': 'warmup', 'seed': seed, 'data': cfg['data'], 'env': {'threads': 1}}))
    return d

@pytest.fixture
def tree(tmp_path):
    (tmp_path/'configs'/'amazon-beauty').mkdir(parents=True)
    (tmp_path/'configs'/'amazon-beauty'/'sasrec.json').write_text(json.dumps(CFG))
    (tmp_path/'configs'/'amazon-beauty'/'cross-scale.json').write_text(json.dumps({**CFG, 'model': {'d_model': 64, 'use_sid': True}}))
    return tmp_path

def test_mean_and_std_over_seeds(tree):
    runs = tree/'runs'
    for s, x in [(0, 0.02), (1, 0.03), (2, 0.04)]: make_run(runs, f'amazon-beauty-sasrec-seed{s}', s, x)
    rows, skipped = rt.collect(runs, tree/'configs')
    assert skipped == [] and len(rows) == 1
    r = rows[0]
    assert (r.dataset, r.variant, sorted(r.runs)) == ('amazon-beauty', 'sasrec', [0, 1, 2])
    assert r.values('recall@10') == [0.04, 0.06, 0.08]
    assert r.cell('recall@5') == f"{0.03:.4f} ± {statistics.stdev([0.02, 0.03, 0.04]):.4f}"
    assert r.cell('recall@5') == '0.0300 ± 0.0100'
    assert r.command() == 'python tools/run_matrix.py configs/amazon-beauty/sasrec.json --seeds 0 1 2'
    md = rt.render(rows, skipped)
    assert '| Amazon Beauty | SASRec (item IDs) | 0, 1, 2 | 0.0300 ± 0.0100 | 0.0150 ± 0.0050 | 0.0600 ± 0.0200 | 0.0300 ± 0.0100 |' in md
    assert '`configs/amazon-beauty/sasrec.json`' in md

def test_single_default_run_and_published_rows(tree):
    runs = tree/'runs'; make_run(runs, 'amazon-beauty-cross-scale', 0, 0.05, {**CFG, 'model': {'d_model': 64, 'use_sid': True}})
    rows, _ = rt.collect(runs, tree/'configs')
    assert [r.cell('ndcg@10') for r in rows] == ['0.0500']  # one seed: the value alone, no ± 
    assert rows[0].command() == 'coderrec-train --config configs/amazon-beauty/cross-scale.json'
    md = rt.render(rows)
    assert '| Amazon Beauty | CoderRec (published) | 0.0607 | 0.0440 | 0.0830 | 0.0511 |' in md
    assert '(published)' not in rt.render(rows, published=False)

def test_runs_that_do_not_belong_are_skipped_with_a_reason(tree):
    runs = tree/'runs'
    make_run(runs, 'amazon-beauty-sasrec-seed0', 0, 0.02)
    make_run(runs, 'amazon-beauty-sasrec-seed1', 1, 0.9, {**CFG, 'model': {'d_model': 128, 'use_sid': False}})  # edited config
    make_run(runs, 'amazon-beauty-sasrec', 0, 0.5)   # same seed twice
    make_run(runs, 'my-experiment', 0, 0.7)           # no frozen config
    (runs/'amazon-beauty-sasrec-seed5').mkdir()       # unfinished: no results.json, not listed
    rows, skipped = rt.collect(runs, tree/'configs')
    assert len(rows) == 1 and sorted(rows[0].runs) == [0]
    text = ' '.join(skipped)
    assert 'model.d_model' in text and 'seed 0 already counted' in text and 'my-experiment' in text and len(skipped) == 3
    assert 'Runs not in the table' in rt.render(rows, skipped)

def test_readme_block_replacement(tmp_path):
    text = f'# title\n\nintro\n\n{rt.START}\nold table\n{rt.END}\n\nafter\n'
    new = rt.replace_block(text, '| new |\n')
    assert new == f'# title\n\nintro\n\n{rt.START}\n| new |\n{rt.END}\n\nafter\n'
    assert rt.replace_block(new, '| new |\n') == new  # idempotent
    with pytest.raises(ValueError, match='markers'): rt.replace_block('no markers here', 'x')
    with pytest.raises(ValueError, match='markers'): rt.replace_block(f'{rt.END}\n{rt.START}', 'x')
    p = tmp_path/'README.md'; p.write_text(text)
    rt.write_block(p, '| written |\n')
    assert p.read_text() == text.replace('old table\n', '| written |\n')
    assert [f.name for f in tmp_path.iterdir()] == ['README.md']  # no temporary file left behind

def test_cli_write_fails_cleanly_without_markers(tree, capsys):
    readme = tree/'README.md'; readme.write_text('no markers\n')
    with pytest.raises(SystemExit, match='markers'):
        rt.main(['--runs', str(tree/'runs'), '--configs', str(tree/'configs'), '--write', str(readme)])
    assert readme.read_text() == 'no markers\n'

def test_run_matrix_plan_and_seed_override(tree):
    cfg = tree/'configs'/'amazon-beauty'/'sasrec.json'
    p = rm.plan([cfg], [0, 3], tree/'runs')
    assert [(s, c.name, o.name) for _, s, c, o in p] == [(0, 'amazon-beauty-sasrec-seed0.json', 'amazon-beauty-sasrec-seed0'),
                                                         (3, 'amazon-beauty-sasrec-seed3.json', 'amazon-beauty-sasrec-seed3')]
    d = rm.derived_config(cfg, 3)
    assert d == {**CFG, 'seed': 3} and rt.config_mismatch(CFG, d) == []
    assert '--resume' not in rm.train_command(p[0][2], p[0][3])

def test_run_matrix_archives_finished_runs(tree, capsys):
    runs = tree/'runs'; d = make_run(runs, 'amazon-beauty-sasrec-seed0', 0, 0.02)
    (d/'history.json').write_text('[]'); (d/'warmup-best.safetensors').write_bytes(b'weights')
    rm.archive(d, str(tree/'results'))
    assert sorted(p.name for p in (tree/'results'/d.name).iterdir()) == ['config.json', 'history.json', 'results.json']  # no weights
    rows, skipped = rt.collect([tree/'results', runs], tree/'configs')
    assert skipped == [] and [sorted(r.runs) for r in rows] == [[0]]  # the same run in both places counts once
    rm.archive(tree/'configs', str(tree/'results'))  # not a finished run: reported, nothing raised
    assert 'not archived' in capsys.readouterr().err


def test_records_from_before_the_registry_are_marked(tree):
    "A record without `env` (made before 0.2.0) still counts for its row, and the row says so."
    d = make_run(tree/'runs', 'amazon-beauty-sasrec-seed0', 0, 0.02)
    r = json.loads((d/'results.json').read_text()); r.pop('env'); (d/'results.json').write_text(json.dumps(r))
    rows, skipped = rt.collect(tree/'runs', tree/'configs')
    md = rt.render(rows, skipped)
    assert '| 0 † |' in md and rt.OLD_RECORDS in md

def test_depth_scan_adds_fields_only_and_skips_unfinished_runs(tree, capsys):
    import depth_scan as ds
    d = make_run(tree/'runs', 'amazon-beauty-sasrec-seed0', 0, 0.1)
    before = json.loads((d/'results.json').read_text())
    ds.add_to(d/'results.json', {'depth': 2, 'valid_by_depth': {'0': metrics(0.05), '2': metrics(0.1)}})
    after = json.loads((d/'results.json').read_text())
    assert {k: after[k] for k in before} == before and after['depth'] == 2 and list(after['valid_by_depth']) == ['0', '2']
    (tree/'runs'/'unfinished').mkdir()
    assert ds.main([str(tree/'runs'/'unfinished')]) == 1
    assert 'no results.json' in capsys.readouterr().err

def test_benchmark_times_every_phase_of_a_method(monkeypatch):
    "The methods benchmark prepares and times each phase (LARES: SPT, then RPT on its filtered rows); the cost table lists them."
    import benchmark as bm
    monkeypatch.setattr(bm, 'METHOD_ROWS', ('sasrec', 'lares'))
    rows = bm.bench_methods(torch_device(), {'method_repeat': 1})
    assert [r['method'] for r in rows] == ['sasrec', 'lares']
    assert list(rows[0]['phases']) == ['warmup'] and list(rows[1]['phases']) == ['spt', 'rpt']
    assert all(t['step_x'] > 0 for r in rows for t in r['phases'].values())
    md = bm.cost_table(rows)
    assert '| lares | lares |' in md and '| spt |' in md and '|  |  |  | rpt |' in md

def test_benchmark_methods_per_dataset(monkeypatch, capsys):
    "`--dataset` picks the frozen configs the methods are timed from; a row the dataset has no config for is skipped by name; an unknown dataset is refused."
    import benchmark as bm, pytest
    monkeypatch.setattr(bm, 'METHOD_ROWS', ('sasrec', 'no-such-row'))
    monkeypatch.setattr(bm, 'DATASET', 'ml-100k')
    rows = bm.bench_methods(torch_device(), {'method_repeat': 1})
    assert [r['method'] for r in rows] == ['sasrec']
    assert 'no-such-row: skipped (configs/ml-100k/no-such-row.json: no such config)' in capsys.readouterr().out
    assert '## Cost against SASRec (ml-100k,' in bm.cost_table(rows)
    with pytest.raises(SystemExit): bm.main(['--only', 'methods', '--dataset', 'no-such-dataset'])
    assert 'configs/no-such-dataset/sasrec.json does not exist' in capsys.readouterr().err

def test_benchmark_scales_only_a_beam_ranker():
    "A full-ranking model ranks every user unscaled; a top-k (beam) model ranks the first few and is scaled to all; the table marks it."
    import benchmark as bm
    from types import SimpleNamespace as NS
    assert bm.rank_plan(NS(), 943, 16) == (943, 1.0) and bm.rank_plan(NS(ranking='full'), 943, 16) == (943, 1.0)
    assert bm.rank_plan(NS(ranking='topk'), 943, 16) == (16, 943 / 16) and bm.rank_plan(NS(ranking='topk'), 8, 16) == (8, 1.0)
    ph = {'sft': {'step': 1.0, 'step_x': 10.0, 'batch': 8, 'sasrec_batch': 128}}
    md = bm.cost_table([dict(method='latentr3', kind='latentr3', params=1, step=1.0, rank=50.0, rank_x=200.0, phases=ph, users=943, rank_users=16)])
    assert '| sft | 8 |' in md and '50.00 s *' in md and 'latentr3 (16 users)' in md and 'batch of 128' in md and 'first 943 test users' in md and '| rank 943 users |' in md and 'scaled to 943' in md

def torch_device():
    import torch
    return torch.device('cpu')

def test_run_matrix_reuses_a_finished_phase(tmp_path):
    "`--reuse spt=lares-spt`: the phase's files copied, config.json written last, the differing fields named; a different phase refused."
    from coderrec.training import RunConfig
    frozen, runs = ROOT/'configs'/'ml-100k'/'lares.json', tmp_path/'runs'
    src = runs/'ml-100k-lares-spt-seed1'; src.mkdir(parents=True)
    RunConfig.from_dict(rm.derived_config(ROOT/'configs'/'ml-100k'/'lares-spt.json', 1)).save(src/'config.json')
    for n in ('spt-last.pt', 'spt-best.safetensors'): (src/n).write_bytes(n.encode())
    out = runs/'ml-100k-lares-seed1'
    with pytest.raises(ValueError, match='has not finished'): rm.reuse_phase(frozen, 1, out, 'spt', 'lares-spt', runs)
    (src/'results.json').write_text('{}')
    assert 'would seed' in rm.reuse_phase(frozen, 1, out, 'spt', 'lares-spt', runs, dry_run=True) and not out.exists()
    rm.reuse_phase(frozen, 1, out, 'spt', 'lares-spt', runs)
    assert (out/'spt-last.pt').read_bytes() == b'spt-last.pt' and 'model.rpt' in (out/'SEEDED.txt').read_text()
    assert json.loads((out/'config.json').read_text()) == json.loads(RunConfig.from_dict(rm.derived_config(frozen, 1)).to_json())
    assert '--resume' in rm.train_command(out.with_suffix('.json'), out)
    assert 'started already' in rm.reuse_phase(frozen, 1, out, 'spt', 'lares-spt', runs)
    d = json.loads((src/'config.json').read_text()); d['phases']['spt']['lr'] = 0.01; (src/'config.json').write_text(json.dumps(d))
    with pytest.raises(ValueError, match='phases.spt.lr'): rm.reuse_phase(frozen, 1, runs/'other', 'spt', 'lares-spt', runs)
    rm.archive(out.parent/'ml-100k-lares-spt-seed1', str(tmp_path/'results'))  # a record without SEEDED.txt archives without it
    assert not (tmp_path/'results'/'ml-100k-lares-spt-seed1'/'SEEDED.txt').exists()
    (out/'results.json').write_text('{}'); rm.archive(out, str(tmp_path/'results'))  # and the seeded run's record keeps its note
    assert (tmp_path/'results'/out.name/'SEEDED.txt').read_text() == (out/'SEEDED.txt').read_text()

def test_run_matrix_reuses_a_warmup_across_kinds(tmp_path):
    "CoderRec's warm-up is the cross-scale model's (`--reuse warmup=cross-scale-aux`): allowed; a LARES run from it is refused."
    from coderrec.training import RunConfig
    runs = tmp_path/'runs'; src = runs/'amazon-beauty-cross-scale-aux-seed0'; src.mkdir(parents=True)
    RunConfig.from_dict(rm.derived_config(ROOT/'configs'/'amazon-beauty'/'cross-scale-aux.json', 0)).save(src/'config.json')
    for n in ('warmup-last.pt', 'warmup-best.safetensors', 'results.json'): (src/n).write_text('{}')
    for v in ('coderrec', 'coderrec-lm0'):
        msg = rm.reuse_phase(ROOT/'configs'/'amazon-beauty'/f'{v}.json', 0, runs/f'amazon-beauty-{v}-seed0', 'warmup', 'cross-scale-aux', runs, dry_run=True)
        assert 'would seed' in msg and 'kind' in msg and 'phases.warmup' not in msg, msg
    with pytest.raises(ValueError, match='kind'):
        rm.reuse_phase(ROOT/'configs'/'amazon-beauty'/'rearec-erl.json', 0, runs/'x', 'warmup', 'cross-scale-aux', runs, dry_run=True)

def test_cli_backbone_compares_against_another_row(tree, capsys):
    make_run(tree/'runs', 'amazon-beauty-sasrec-seed0', 0, 0.1); make_run(tree/'runs', 'amazon-beauty-cross-scale-seed0', 0, 0.2, {**CFG, 'model': {'d_model': 64, 'use_sid': True}})
    md = rt.main(['--runs', str(tree/'runs'), '--configs', str(tree/'configs'), '--backbone', 'cross-scale'])
    assert md.splitlines()[0].startswith('| dataset | model | seeds | ΔNDCG@10 vs cross-scale |')   # the header names the backbone
    assert 'SASRec (item IDs)' in md and 'no per-user test ranks' in md                           # SASRec is a row; records without ranks say why
    assert 'results block' not in capsys.readouterr().out                                          # it prints the comparison and stops
