"""Build the docs site offline: nbdev's notebook processing, then Sphinx + myst-nb + furo.

Quarto is the usual renderer for nbdev sites; where it is missing this script renders the same
notebooks, in the order and with the title given by the top-level `_quarto.yml`, into `_docs/`.
Figures and `show_doc` output come from the processed notebooks; nothing is re-executed except
nbdev's own `show_doc` cells.
"""
import json, re, shutil, subprocess, sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD, OUT = ROOT/'_build'/'docs_src', ROOT/'_docs'

def quarto_nav(path=ROOT/'_quarto.yml'):
    "Title and the ordered list of notebooks in the sidebar of `_quarto.yml`."
    q = yaml.safe_load(path.read_text())
    site = q['website']
    pages = [c if isinstance(c, str) else c['href'] for c in site['sidebar']['contents']]
    return site['title'], site.get('description', ''), pages

def _frontmatter(src):
    "Quarto YAML frontmatter (from nbdev's processing) to a markdown title."
    m = re.match(r'^---\n(.*?)\n---', src, flags=re.S)
    fm = yaml.safe_load(m.group(1)) if m else {}
    md = f"# {fm.get('title', '')}\n"
    if fm.get('description'): md += f"\n*{fm['description']}*\n"
    return md

def convert(nb:dict, toctree:list|None=None) -> dict:
    "Processed nbdev notebook -> notebook myst-nb renders: titles, no `#|` lines, echo/include honoured."
    cells = []
    for c in nb['cells']:
        src = ''.join(c['source']) if isinstance(c['source'], list) else c['source']
        if c['cell_type'] == 'raw' and src.startswith('---'):
            c = {'cell_type': 'markdown', 'metadata': {}, 'source': _frontmatter(src)}
        elif c['cell_type'] == 'code':
            opts = dict(re.findall(r'^#\|\s*([\w-]+):\s*(.*)$', src, flags=re.M))
            if opts.get('include') == 'false': continue
            tags = c.setdefault('metadata', {}).setdefault('tags', [])
            if opts.get('echo') == 'false': tags.append('remove-input')
            if opts.get('output') == 'false': tags.append('remove-output')
            c['source'] = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip('\n')
            if not c['source'] and 'remove-input' not in tags: tags.append('remove-input')
            for o in c.get('outputs', []):  # show_doc's horizontal rules are not valid inside an output
                md = o.get('data', {}).get('text/markdown')
                if md is not None:
                    md = ''.join(md) if isinstance(md, list) else md
                    md = re.sub(r'\]\(([^)]*)\)\{[^}]*\}', r'](\1)', md)  # Quarto link attributes ({target=...})
                    o['data']['text/markdown'] = '\n'.join(l for l in md.splitlines() if l.strip() != '---')
        for k in [k for k in c if k not in ('cell_type', 'metadata', 'source', 'outputs', 'execution_count', 'attachments')]: c.pop(k)
        c['id'] = f'cell-{len(cells)}'
        cells.append(c)
    if toctree:
        entries = '\n'.join(toctree)
        cells.append({'cell_type': 'markdown', 'metadata': {},
                      'id': 'toctree', 'source': f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{entries}\n```"})
    nb['cells'] = cells
    return nb

CONF = '''
project = {title!r}
html_title = {title!r}
extensions = ["myst_nb"]
nb_execution_mode = "off"
nb_render_markdown_format = "myst"  # markdown outputs (the results tables) with tables, not plain CommonMark
myst_enable_extensions = ["dollarmath", "colon_fence"]
html_theme = "furo"
exclude_patterns = ["_build"]
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header", "misc.highlighting_failure"]
'''

def build(quiet=True):
    title, desc, pages = quarto_nav()
    sys.path.insert(0, str(ROOT))
    from nbdev.serve import proc_nbs
    proc = Path(proc_nbs(path=str(ROOT/'nbs'), n_workers=0))
    shutil.rmtree(BUILD, ignore_errors=True); BUILD.mkdir(parents=True)
    missing = [p for p in pages if not (proc/p).exists()]
    if missing: raise SystemExit(f"_quarto.yml sidebar names notebooks that do not exist: {missing}")
    names = [Path(p).stem for p in pages]
    for p, name in zip(pages, names):
        nb = json.loads((proc/p).read_text())
        toc = [n for n in names if n != 'index'] if name == 'index' else None
        (BUILD/f'{name}.ipynb').write_text(json.dumps(convert(nb, toc)))
    (BUILD/'conf.py').write_text(CONF.format(title=title))
    if (ROOT/'nbs'/'figures').exists(): shutil.copytree(ROOT/'nbs'/'figures', BUILD/'figures')
    shutil.rmtree(OUT, ignore_errors=True)
    cmd = [sys.executable, '-m', 'sphinx', '-b', 'html', str(BUILD), str(OUT)] + (['-q'] if quiet else [])
    subprocess.run(cmd, check=True)
    print(f"docs: {len(pages)} pages -> {OUT/'index.html'}")

if __name__ == '__main__': build(quiet='-v' not in sys.argv)
