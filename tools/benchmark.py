#!/usr/bin/env python
"""The speed table: each fast path of coderrec against its naive baseline, timed in the same process.

    python tools/benchmark.py --quick --out benchmarks/cpu-quick.md
    python tools/benchmark.py --only eval,joint --device cpu
    python tools/benchmark.py --quick --only methods --dataset amazon-scientific --out benchmarks/cpu-quick-methods-amazon-scientific.md

Rows (CPU always, CUDA too when present):
  embed   item embeddings, SmolLM2 on N ml-100k item texts: length-sorted batches with the chat template's
          shared prefix run once (`coderrec.data.encode_texts`) vs one item at a time
  rqvae   RQ-VAE training on the ml-100k item embeddings of `configs/ml-100k/coderrec.json` (cached embeddings);
          no naive baseline, the time alone
  warmup  one warm-up epoch on Amazon Beauty (`configs/amazon-beauty/cross-scale-imported.json`, real split from the
          shared data) with the fused chunked CE vs logits of every item at every position
  eval    full-ranking evaluation of all Beauty test users (`coderrec.evaluation.evaluate`, a comparison
          count) vs the double argsort
  joint   one joint-phase optimiser step with SmolLM2-135M (truncated to the config's layers, and full):
          parallel thoughts with a KV cache vs recomputing the whole sequence every pass

  methods every registered method's cost against SASRec on ml-100k, or on the dataset `--dataset` names (its frozen config
          `configs/<dataset>/<row>.json`; rows the dataset has no config for are skipped),
          built through the registry): parameters, one optimiser step at the batch size of the row's own config (so
          steps-to-best times the step ratio is the cost to convergence), and ranking 1,000 test users, each timed
          alternately with SASRec's in the same process (the cost table; ratios = method / SASRec, medians; written also
          as JSON beside the --out table for the results page). LatentR3's LLM row ranks by constrained beam search,
          seconds a user: it ranks the first `llm_rank_users` of the 1,000 and its time is scaled to 1,000 (its beam runs
          users in independent batches of `beam_users`, so the time is linear in users); the table says so
Baselines written here (the rooms keep theirs in notebook cells, not exported) are marked NAIVE below;
the recompute-every-pass baseline is the rooms' own `LatentReasoner(mode='recompute')`.
Not run in CI; needs the shared Amazon data for `warmup` and `eval` (skipped with a note when absent).
"""
from __future__ import annotations
import argparse, datetime, math, os, platform, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHES = ('embed', 'rqvae', 'warmup', 'eval', 'joint', 'methods')

import torch
import torch.nn.functional as F
from torch import nn

from coderrec.core import atomic_write, get_device, report_speed, seed_everything, timeit


# ---------------------------------------------------------------- sizes

def sizes(quick:bool) -> dict:
    "How big each benchmark is: the full run, or a scaled-down one that finishes in minutes on 2 CPU cores."
    if quick: return dict(embed_n=24, rqvae_steps=None, warmup_steps=6, eval_users=2048, joint_b_trunc=8, joint_b_full=2, joint_repeat=3, method_repeat=4, llm_rank_users=16)
    return dict(embed_n=200, rqvae_steps=None, warmup_steps=None, eval_users=None, joint_b_trunc=32, joint_b_full=32, joint_repeat=3, method_repeat=6, llm_rank_users=64)


# ---------------------------------------------------------------- machine

def cpu_model() -> str:
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    except OSError: pass
    return platform.processor() or platform.machine()

def git_commit() -> str:
    "HEAD's short hash, with ' + uncommitted changes to code' when tracked code or notebooks differ from it (the timings then belong to no commit)."
    try:
        h = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip() or '?'
        dirty = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no', '--', 'coderrec', 'tools', 'nbs'], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        return h + (' + uncommitted changes to code' if dirty else '')
    except (OSError, subprocess.SubprocessError): return '?'

def machine() -> dict:
    "The facts a reader needs to weigh the timings."
    load = ', '.join(f'{x:.2f}' for x in os.getloadavg()) if hasattr(os, 'getloadavg') else '?'
    return {'cpu': cpu_model(), 'cores': os.cpu_count(), 'torch threads': torch.get_num_threads(),
            'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS', 'unset'),
            'gpu': torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none',
            'load average (1, 5, 15 min) at start': load, 'torch': torch.__version__,
            'python': platform.python_version(), 'commit': git_commit(),
            'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}


# ---------------------------------------------------------------- rows

def row(name, device, fast, base, base_name, size, note=''):
    "One table row; `base` None when there is no baseline."
    if base is not None: report_speed(f'{name} [{device}]', fast, base, base_name)
    else: print(f'{name} [{device}]: {fast:.2f} s')
    return dict(name=name, device=str(device), fast=fast, base=base, base_name=base_name, size=size, note=note)

def fmt_s(t) -> str:
    if t is None or math.isnan(t): return '—'
    return f'{t*1e3:.0f} ms' if t < 1 else f'{t:.2f} s' if t < 100 else f'{t:.0f} s'

def table(rows:list, info:dict, args) -> str:
    "The markdown report: machine, command, table."
    head = [f'# coderrec speed table ({"quick" if args.quick else "full"})', '',
            '| machine | |', '|---|---|'] + [f'| {k} | {v} |' for k, v in info.items()]
    head += ['', f'Command: `{" ".join(["python tools/benchmark.py"] + args.argv)}`', '',
             'Each ratio is naive baseline time / coderrec time, both measured in the same process. '
             'The machine is shared with other jobs, so absolute times carry noise; ratios are the figure to read.', '',
             '| benchmark | device | size | coderrec | naive baseline | baseline | speed-up |',
             '|---|---|---|---:|---:|---|---:|']
    for r in rows:
        ratio = f"{r['base'] / r['fast']:.1f}x" if r['base'] is not None else '—'
        size = r['size'] + (f" ({r['note']})" if r['note'] else '')
        head.append(f"| {r['name']} | {r['device']} | {size} | {fmt_s(r['fast'])} | {fmt_s(r['base'])} | {r['base_name']} | {ratio} |")
    return '\n'.join(head) + '\n'


# ---------------------------------------------------------------- shared inputs

_CACHE = {}

def ml_run():
    "ml-100k dataset, splits, the coderrec config and its (cached) item embeddings."
    if 'ml' not in _CACHE:
        from coderrec.training import RunConfig, load_data, embed_items
        cfg = RunConfig.load(ROOT/'configs/ml-100k/coderrec.json')
        data, splits = load_data(cfg)
        _CACHE['ml'] = (cfg, data, splits, embed_items(cfg, data, progress=False))
    return _CACHE['ml']

def beauty_run():
    "Beauty dataset and splits (None when the shared data are absent), with the cross-scale config."
    if 'beauty' not in _CACHE:
        from coderrec.data import shared_data_dir
        from coderrec.training import RunConfig, load_data
        if not (shared_data_dir()/'amazon-beauty').exists(): _CACHE['beauty'] = None
        else:
            cfg = RunConfig.load(ROOT/'configs/amazon-beauty/cross-scale-imported.json')
            _CACHE['beauty'] = (cfg, *load_data(cfg))
    return _CACHE['beauty']


# ---------------------------------------------------------------- embed

def bench_embed(dev, sz):
    from coderrec.data import encode_texts
    from coderrec.llm import load_encoder
    cfg, data, _, _ = ml_run()
    texts = data.item_texts[:sz['embed_n']]
    tok, model = load_encoder('smollm2', dev)
    fast = timeit(lambda: encode_texts(texts, tok, model, batch_size=32, max_length=64), repeat=1, warmup=1)
    # NAIVE: one forward pass per item, full prompt each time (no batching, no shared prefix)
    base = timeit(lambda: [encode_texts([t], tok, model, batch_size=1, max_length=64, share_prefix=False) for t in texts], repeat=1, warmup=0)
    del model
    return [row('item embeddings, SmolLM2-135M (30 layers)', dev, fast, base, 'one item at a time', f"{len(texts)} ml-100k items, batch 32")]


# ---------------------------------------------------------------- rqvae

def bench_rqvae(dev, sz):
    from coderrec.rqvae import train_rqvae, semantic_ids
    cfg, data, _, emb = ml_run()
    rcfg = cfg.rqvae.replace(in_dim=emb.emb.shape[1], **({} if sz['rqvae_steps'] is None else {'max_steps': sz['rqvae_steps']}))
    seed_everything(cfg.seed)
    t0 = time.perf_counter(); model, hist = train_rqvae(emb.emb, rcfg, device=dev, progress=False)
    if dev.type == 'cuda': torch.cuda.synchronize()
    t = time.perf_counter() - t0
    try: _CACHE['rqvae'] = (model.cpu(), semantic_ids(model.cpu(), emb.emb))  # reused by `joint`
    except ValueError as e: print(f'  (semantic IDs of this shortened run not usable: {str(e)[:80]}...)')
    steps = hist['step'][-1] if hist['step'] else 0
    return [row('RQ-VAE training', dev, t, None, '— (no naive variant)', f"{tuple(emb.emb.shape)} {emb.model} embeddings, {rcfg.levels}x{rcfg.codebook_size}, {steps} of max {rcfg.max_steps} steps",
                note='embeddings ' + ('from the cache' if emb.from_cache else 'computed first (not timed)'))]


# ---------------------------------------------------------------- warmup

class NaiveRec(nn.Module):
    "NAIVE baseline: the same CrossScaleRec, its rec loss from [B, L, num_items] logits at every position (padding included)."
    def __init__(self, rec): super().__init__(); self.rec = rec
    def loss(self, batch):
        m = self.rec; c = m.cfg; h = m.hidden(batch)
        logits = h @ m.embed.output_table().T
        out = {'rec': F.cross_entropy(logits.flatten(0, 1).float(), batch['targets'].flatten(), ignore_index=c.num_items)}
        out['loss'] = c.w_rec * out['rec']
        if m.head is not None:  # the token head as in CrossScaleRec.loss (not part of what is compared)
            sel = batch['targets'] != c.num_items
            out['token'] = F.cross_entropy(m.head(h[sel]).flatten(0, 1), m.codes[batch['targets'][sel]].flatten())
            out['loss'] = out['loss'] + c.w_token * out['token']
        return out

def opt_step(model, batch, opt, sched, clip, dev):
    "One optimiser step as the training loop takes it (bf16 autocast on CUDA, clipping, scheduler), the same for both sides of a comparison."
    from coderrec.evaluation import to_device
    with torch.autocast(device_type=dev.type, dtype=torch.bfloat16, enabled=dev.type == 'cuda'):
        loss = model.loss(to_device(batch, dev))['loss']
    opt.zero_grad(set_to_none=True); loss.backward()
    if clip: torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], clip)
    opt.step(); sched.step()

def _epoch_time(model, train, pcfg, seed, dev, steps):
    "Seconds for one epoch of `opt_step` over the loop's batches (timed over `steps` steps and scaled when given)."
    from coderrec.training import epoch_batches, make_optimizer
    from coderrec.evaluation import take
    batches = epoch_batches(len(train['items']), pcfg.batch_size, seed, 0)
    opt, sched = make_optimizer(model, pcfg, len(batches))
    model.to(dev).train()
    opt_step(model, take(train, batches[0]), opt, sched, pcfg.clip, dev)  # warm-up step, untimed
    run = batches if steps is None else batches[1:steps + 1]
    if dev.type == 'cuda': torch.cuda.synchronize()
    t0 = time.perf_counter()
    for idx in run: opt_step(model, take(train, idx), opt, sched, pcfg.clip, dev)
    if dev.type == 'cuda': torch.cuda.synchronize()
    return (time.perf_counter() - t0) * len(batches) / len(run), len(batches), len(run)

def beauty_model(cfg, data, splits):
    "The Beauty row's model, built through the registry like every run."
    from coderrec.training import Context, build_model
    from coderrec.rqvae import import_semantic_ids
    ctx = Context(cfg, data, splits, sids=import_semantic_ids(data) if cfg.sids == 'imported' else None)
    return build_model(cfg, ctx)

def bench_warmup(dev, sz):
    b = beauty_run()
    if b is None: return [row_skip('one warm-up epoch, Beauty', dev)]
    cfg, data, splits = b; warm = cfg.phases['warmup']
    make = lambda: beauty_model(cfg, data, splits)
    fast, nb, nr = _epoch_time(make(), splits.train, warm, cfg.seed, dev, sz['warmup_steps'])
    base, _, _ = _epoch_time(NaiveRec(make()), splits.train, warm, cfg.seed, dev, sz['warmup_steps'])
    note = f'extrapolated from {nr} of {nb} steps' if nr < nb else ''
    return [row('one warm-up epoch, Beauty, cross-scale', dev, fast, base, 'logits at every position',
                f"{len(splits.train['items'])} rows x {cfg.model.max_len}, batch {warm.batch_size}, {data.num_items} items", note)]

def row_skip(name, dev):
    print(f'{name} [{dev}]: skipped, shared data not found')
    return dict(name=name, device=str(dev), fast=float('nan'), base=None, base_name='—', size='skipped: ../shared/data not found', note='')


# ---------------------------------------------------------------- eval

@torch.no_grad()
def evaluate_argsort(model, split, ks=(5, 10), batch_size=1024, device=None):
    "NAIVE baseline: the same loop, ranks from a double argsort (`coderrec.evaluation.argsort_ranks`, the one naive ranker)."
    from coderrec.evaluation import argsort_ranks, metrics_from_ranks
    model.eval(); rs = []
    for i in range(0, len(split['target']), batch_size):
        b = {k: v[i:i + batch_size].to(device) for k, v in split.items()}
        rs.append(argsort_ranks(model.score(b), b['target']).cpu())
    return metrics_from_ranks(torch.cat(rs), ks)

def bench_eval(dev, sz):
    from coderrec.evaluation import evaluate, take
    b = beauty_run()
    if b is None: return [row_skip('full-ranking evaluation, Beauty', dev)]
    cfg, data, splits = b
    model = beauty_model(cfg, data, splits).to(dev).eval()
    test = splits.test if sz['eval_users'] is None else take(splits.test, torch.arange(min(sz['eval_users'], len(splits.test['target']))))
    n = len(test['target'])
    fast = timeit(lambda: evaluate(model, test, device=dev), repeat=3 if n < 5000 else 1, warmup=1)
    base = timeit(lambda: evaluate_argsort(model, test, device=dev), repeat=1, warmup=0)
    a, bm = evaluate(model, test, device=dev), evaluate_argsort(model, test, device=dev)
    same = all(abs(a[k] - bm[k]) < 1e-6 for k in a)
    return [row('full-ranking evaluation, Beauty test users', dev, fast, base, 'double argsort',
                f"{n} of {len(splits.test['target'])} users x {data.num_items} items" if n < len(splits.test['target']) else f"{n} users x {data.num_items} items",
                note='same metrics' if same else 'METRICS DIFFER (ties?)')]


# ---------------------------------------------------------------- joint

def _joint_model(cfg, data, splits, emb, dev, n_layers):
    from coderrec.training import Context, build_model, build_joint
    from coderrec.rqvae import train_rqvae, semantic_ids
    if 'rqvae' not in _CACHE:  # the config's RQ-VAE, trained once here (untimed) when `rqvae` did not leave one
        rq, _ = train_rqvae(emb.emb, cfg.rqvae.replace(in_dim=emb.emb.shape[1]), device='cpu', progress=False)
        _CACHE['rqvae'] = (rq, semantic_ids(rq, emb.emb))
    rqvae, sids = _CACHE['rqvae']
    c = cfg.replace(llm=cfg.llm.replace(n_layers=n_layers))
    ctx = Context(c, data, splits, emb, sids, rqvae, device=dev)
    return c, build_joint(build_model(c, ctx), ctx)

def _step_times(model, batch, pcfg, dev, repeat, modes=('kv', 'recompute')) -> dict:
    """Median seconds of one optimiser step in each reasoning mode, the modes interleaved (kv, recompute, kv, ...)
    so that a change in the machine's load falls on both alike; one untimed step per mode first."""
    from coderrec.training import make_optimizer
    opt, sched = make_optimizer(model, pcfg, 100)
    model.train(); ts = {m: [] for m in modes}
    def step(m): model.reasoner.mode = m; opt_step(model, batch, opt, sched, pcfg.clip, dev)
    for m in modes: step(m)
    for _ in range(repeat):
        for m in modes: ts[m].append(timeit(lambda: step(m), repeat=1, warmup=0))
    return {m: float(sorted(v)[len(v)//2]) for m, v in ts.items()}

def bench_joint(dev, sz):
    from coderrec.evaluation import take
    cfg, data, splits, emb = ml_run()
    rows = []
    for n_layers, B in ((cfg.llm.n_layers, sz['joint_b_trunc']), (None, sz['joint_b_full'])):
        c, model = _joint_model(cfg, data, splits, emb, dev, n_layers)
        batch = take(splits.train, torch.randperm(len(splits.train['items']), generator=torch.Generator().manual_seed(0))[:B])
        t = _step_times(model, batch, c.phases['joint'], dev, sz['joint_repeat'])
        depth = n_layers or len(__import__('coderrec.llm', fromlist=['llm_decoder']).llm_decoder(model.reasoner.llm).layers)
        rows.append(row(f'one joint-phase step, SmolLM2-135M {depth} layers (LoRA)', dev, t['kv'], t['recompute'], 'recompute every pass',
                        f"batch {B} x {c.model.max_len}, T={c.llm.thoughts}, ml-100k"))
        del model
    return rows


# ---------------------------------------------------------------- methods

METHOD_ROWS = ('sasrec', 'sid-only', 'rearec-erl', 'rearec-prl', 'rearec-k0', 'lares-spt', 'lares', 'latentr3-id', 'latentr3-id-gauss', 'cross-scale', 'latentr3')  # every phase of each timed (LARES: SPT, then RPT)

DATASET = 'ml-100k'  # the dataset whose frozen configs `bench_methods` times (`--dataset`)

def _method(row_name):
    "(config, model, context, phases) of a `DATASET` row, built through the registry like every run; the model not yet prepared for any phase."
    from coderrec.training import RunConfig, build_context, build_model, method
    path = ROOT/f'configs/{DATASET}/{row_name}.json'
    if not path.exists(): raise FileNotFoundError(f'{path.relative_to(ROOT)}: no such config')
    cfg = RunConfig.load(path)
    ctx = build_context(cfg, device='cpu')
    return cfg, build_model(cfg, ctx), ctx, method(cfg.kind).phases(cfg)

def _paired_times(fa, fb, repeat:int) -> tuple:
    "Median seconds of `fa` and of `fb`, timed in the order a b b a a b ... after one warm-up each, so a change of machine load hits both and neither always runs first."
    import statistics
    fa(); fb(); ta, tb = [], []
    for i in range(repeat):
        for f, t in ((fa, ta), (fb, tb))[::1 if i % 2 == 0 else -1]:
            if dev_sync is not None: dev_sync()
            t0 = time.perf_counter(); f()
            if dev_sync is not None: dev_sync()
            t.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)

dev_sync = torch.cuda.synchronize if torch.cuda.is_available() else None

def rank_plan(model, users:int, beam_users:int) -> tuple[int, float]:
    "(users to rank, factor from their time to all `users`'): a full-ranking model ranks all `users`; a top-k (beam) model the first `beam_users`, scaled by users / beam_users."
    if getattr(model, 'ranking', 'full') != 'topk': return users, 1.0
    n = min(beam_users, users)
    return n, users / n

def bench_methods(dev, sz):
    """Cost rows: each method's training step in every phase (each phase prepared as the loop prepares it, on its own rows) and its ranking,
    timed alternately with SASRec's in this process (medians; PRL before its noise warm-up; later phases from untrained weights: a step's cost does not depend on them)."""
    from coderrec.evaluation import evaluate, take
    from coderrec.training import make_optimizer
    def batch_of(rows, n): return take(rows, torch.randperm(len(rows['items']), generator=torch.Generator().manual_seed(0))[:n])
    def phases(name):
        "Yield (config, phase name, batch size, step function, model) for each phase in order; each `next` prepares the following phase."
        cfg, model, ctx, phs = _method(name)
        for ph in phs:
            if ph.prepare is not None: model = ph.prepare(model, ctx)
            pc = cfg.phases[ph.name]; rows = ph.rows(model, ctx) if ph.rows is not None else ctx.splits.train
            batch = batch_of(rows, pc.batch_size); opt, sched = make_optimizer(model, pc, 10 ** 6); model.to(dev)
            yield cfg, ph.name, pc.batch_size, (lambda m=model, b=batch, o=opt, s=sched, c=pc.clip: opt_step(m, b, o, s, c, dev)), model
    cfg0, _, ctx0, _ = _method('sasrec')  # its test users rank for every method
    users = take(ctx0.splits.test, torch.arange(min(1000, len(ctx0.splits.test['target']))))
    base_gen = phases('sasrec'); _, _, base_bs, base_step, base = next(base_gen)
    base_rank = lambda: evaluate(base, users, device=dev)
    n0 = sum(p.numel() for p in base.parameters()); out = []
    for name in METHOD_ROWS:
        try:
            gen = phases(name) if name != 'sasrec' else iter([(cfg0, 'warmup', base_bs, base_step, base)])  # against itself: the noise floor of a ratio
            timed, rank_x = {}, None
            for cfg, ph, bs, step, model in gen:
                b_step, t_step = _paired_times(base_step, step, sz['method_repeat'])
                timed[ph] = {'step': t_step, 'sasrec_step': b_step, 'step_x': t_step / b_step, 'batch': bs, 'sasrec_batch': base_bs}
                if rank_x is None:  # ranking: the first phase's model (the architecture that ranks; later phases change weights only)
                    nu, scale = rank_plan(model, len(users['target']), sz.get('llm_rank_users', 16))
                    mine = users if nu == len(users['target']) else take(users, torch.arange(nu))
                    rank = base_rank if model is base else (lambda m=model, u=mine: evaluate(m, u, device=dev))
                    b_rank, t_rank = _paired_times(base_rank, rank, sz['method_repeat']); t_rank *= scale; rank_x = t_rank / b_rank
                    n = sum(p.numel() for p in model.parameters())
        except Exception as e: print(f'{name}: skipped ({e})'); continue
        first = next(iter(timed.values()))
        r = dict(method=name, kind=cfg.kind, params=n, step=first['step'], rank=t_rank, device=str(dev), sasrec_step=first['sasrec_step'], sasrec_rank=b_rank,
                 step_x=first['step_x'], rank_x=rank_x, params_x=n / n0, phases=timed, users=len(users['target']), rank_users=nu if scale != 1 else None)
        per = ', '.join(f"{p} {t['step']*1e3:.0f} ms at batch {t['batch']} ({t['step_x']:.1f}x)" for p, t in timed.items())
        how = '' if scale == 1 else f', timed on {nu} users and scaled'
        print(f"{name} [{dev}]: {n:,} params, step {per}, rank 1000 users {t_rank*1e3:.0f} ms ({rank_x:.1f}x SASRec, timed alternately{how})")
        out.append(r)
    return out

def cost_table(rows:list) -> str:
    "The cost table: each method against SASRec, same process."
    n = next((r['users'] for r in rows if r.get('users')), None)
    n = n or 1000
    head = ['', f"## Cost against SASRec ({DATASET}, one optimiser step at each row's own training batch; ranking the first {n:,} test users)", '',
            f'| method | kind | parameters | phase | batch | training step | x SASRec | rank {n:,} users | x SASRec |', '|---|---|---:|---|---:|---:|---:|---:|---:|']
    scaled = []
    for r in rows:
        for i, (ph, t) in enumerate((r.get('phases') or {'': {'step': r['step'], 'step_x': r.get('step_x', float('nan'))}}).items()):
            first = (r['method'], r['kind'], f"{r['params']:,}") if i == 0 else ('', '', '')  # method, kind, parameters on its first line only
            mark = ' *' if r.get('rank_users') else ''
            rank = f"{fmt_s(r['rank'])}{mark} | {r.get('rank_x', float('nan')):.1f}x" if i == 0 else ' | '
            head.append(f"| {' | '.join(first)} | {ph} | {t.get('batch', '')} | {fmt_s(t['step'])} | {t['step_x']:.1f}x | {rank} |")
        if r.get('rank_users'): scaled.append(f"{r['method']} ({r['rank_users']} users)")
    sas = next((t.get('sasrec_batch') for r in rows for t in (r.get('phases') or {}).values()), None)
    notes = ([f'SASRec\'s step, the denominator of every step ratio, is at its own batch of {sas}.'] if sas else []) + \
            ([f"\\* timed on the first users only and scaled to {n:,} (beam search, linear in users): {', '.join(scaled)}."] if scaled else [])
    return '\n'.join(head) + '\n' + ''.join(f'\n{n}\n' for n in notes)

# ---------------------------------------------------------------- main

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split('\n', 2)[2])
    p.add_argument('--quick', action='store_true', help='scaled-down sizes (minutes on 2 CPU cores); rows say what was scaled')
    p.add_argument('--only', default='', help=f'comma-separated subset of {",".join(BENCHES)}')
    p.add_argument('--device', default='', help="comma-separated devices (default: cpu, plus cuda when present)")
    p.add_argument('--out', default='', help='also write the markdown table to this file (atomically)')
    p.add_argument('--dataset', default='ml-100k', help="the dataset whose frozen configs `methods` times (configs/<dataset>/; default ml-100k); Amazon data is read from CODERREC_SHARED_DATA")
    args = p.parse_args(argv)
    global DATASET; DATASET = args.dataset
    if not (ROOT/'configs'/DATASET/'sasrec.json').exists(): p.error(f"--dataset: configs/{DATASET}/sasrec.json does not exist (the methods are timed against it)")
    args.argv = sys.argv[1:] if argv is None else list(argv)
    only = [b.strip() for b in args.only.split(',') if b.strip()] or list(BENCHES)
    bad = [b for b in only if b not in BENCHES]
    if bad: p.error(f"--only: unknown benchmark(s) {bad}; choose from {list(BENCHES)}")
    devs = [d.strip() for d in args.device.split(',') if d.strip()] or (['cpu'] + (['cuda'] if torch.cuda.is_available() else []))
    info, sz, rows, costs = machine(), sizes(args.quick), [], []
    from coderrec.llm import quiet_transformers
    for d in devs:
        dev = get_device(d)
        for name in only:
            with quiet_transformers():
                if name == 'methods': costs += bench_methods(dev, sz)
                else: rows += globals()[f'bench_{name}'](dev, sz)
    info['load average (1, 5, 15 min) at end'] = ', '.join(f'{x:.2f}' for x in os.getloadavg())
    md = table(rows, info, args) + (cost_table(costs) if costs else '')
    print('\n' + md)
    if args.out:
        with atomic_write(args.out) as f: f.write(md)
        print(f'written: {args.out}')
        if costs:  # the cost rows also as data, for the results page (`coderrec.results.read_costs`)
            import json
            js = Path(args.out).with_suffix('.json')
            with atomic_write(js) as f: json.dump({'machine': info, 'dataset': DATASET, 'command': 'python tools/benchmark.py ' + ' '.join(args.argv), 'costs': costs}, f, indent=1, default=str)
            print(f'written: {js}')
    return rows

if __name__ == '__main__': main()
