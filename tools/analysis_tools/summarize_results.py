"""Comparison table and training curves from mmengine work dirs.

Reads each work dir's ``*/vis_data/scalars.json`` (training and validation
scalars, ``knn_top1``), the metric dumps of ``tools/test.py --out`` found
under it (``*metrics*.json``, and ``*.pkl`` read as plain data only: a pickle
naming any class or function, such as a predictions dump or a crafted file,
is skipped with a message, never unpickled) and a sweep's ``selection.json``,
and writes:

- a markdown table (and CSV) with one row per work dir, named
  ``method | dataset`` from the config name convention
  ``{algo}_{backbone}_{gpus}xb{batch}-{recipe}-{epochs}e_{data}``, and the
  LAST logged value of each metric (never the best epoch);
- with ``--plot``, one PNG per work dir with every logged ``loss*`` term
  against the iteration and ``knn_top1`` against the iteration.

Example:
    python tools/analysis_tools/summarize_results.py work_dirs/* \
        --out work_dirs/summary.md --plot work_dirs/curves
"""
import argparse
import csv
import glob
import json
import os
import os.path as osp
import pickle
import re
import sys
from collections import OrderedDict

METRICS = ('knn_top1', 'accuracy/top1', 'accuracy/top5', 'retrieval/rank1',
           'retrieval/rank5', 'retrieval/mAP', 'loc/MaxBoxAcc')


def parse_args():
    parser = argparse.ArgumentParser(description='summarise work dirs')
    parser.add_argument('work_dirs', nargs='+')
    parser.add_argument(
        '--out', help='write the markdown table here (and a .csv next to it)')
    parser.add_argument('--plot', help='folder for the training-curve PNGs')
    return parser.parse_args()


def read_scalars(work_dir):
    """All rows of the work dir's scalars.json files, in run order."""
    rows = []
    for path in sorted(
            glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for line_no, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise ValueError(f'{path}:{line_no}: not JSON ({e})')
    return rows


def name_of(work_dir):
    """(method, dataset) from the config file saved in the work dir, or
    from the work dir's name."""
    configs = sorted(glob.glob(osp.join(work_dir, '*.py')))
    stem = osp.splitext(
        osp.basename(configs[0] if configs else osp.normpath(work_dir)))[0]
    match = re.match(r'(?P<method>.+?)_(?P<rest>.*)_(?P<data>[^_]+)$', stem)
    if not match:
        return stem, '-'
    return match['method'], match['data']


def last_values(rows):
    """The last logged value of each metric of ``METRICS``."""
    values = OrderedDict()
    for row in rows:
        for key in METRICS:
            if key in row:
                values[key] = row[key]
    return values


def test_dumps(work_dir):
    """The numbers of the work dir's metric dumps; pickles are read with
    :func:`mmfgssl.utils.load_plain_pickle`, and one that is not plain data
    is skipped, named on stderr."""
    from mmfgssl.utils import load_plain_pickle
    values = OrderedDict()
    paths = sorted(
        glob.glob(osp.join(work_dir, '**', '*.pkl'), recursive=True) +
        glob.glob(osp.join(work_dir, '**', '*metrics*.json'), recursive=True))
    for path in paths:
        if path.endswith('.json'):
            with open(path) as f:
                data = json.load(f)
        else:
            try:
                data = load_plain_pickle(path)
            except pickle.UnpicklingError as e:
                print(f'skipped {e}', file=sys.stderr)
                continue
        if isinstance(data, dict):
            values.update(
                (k, v) for k, v in data.items() if isinstance(v, (int, float)))
    return values


def summarize(work_dirs):
    table = []
    for work_dir in work_dirs:
        rows = read_scalars(work_dir)
        values = last_values(rows)
        values.update(test_dumps(work_dir))
        selection = osp.join(work_dir, 'selection.json')
        if osp.isfile(selection):
            with open(selection) as f:
                sel = json.load(f)
            values['chosen lr'] = sel['chosen']['lr']
            if sel['chosen'].get('wd') is not None:
                values['chosen wd'] = sel['chosen']['wd']
            # the mean over the final trials (older sweeps: one 'test')
            tests = sel.get('tests') or ([sel['test']]
                                         if sel.get('test') else [])
            for key in (tests[0] if tests else {}):
                trial_values = [t[key] for t in tests if key in t]
                values[key] = sum(trial_values) / len(trial_values)
            if len(tests) > 1:
                values['trials'] = len(tests)
        iters = [r['iter'] for r in rows if 'iter' in r]
        method, data = name_of(work_dir)
        table.append(
            dict(
                method=method,
                dataset=data,
                work_dir=work_dir,
                iters=max(iters) if iters else 0,
                values=values,
                rows=rows))
    return table


def write_table(table, out=None):
    keys = []
    for entry in table:
        keys += [k for k in entry['values'] if k not in keys]
    header = ['method', 'dataset', 'last logged iter'] + keys + ['work dir']
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    csv_rows = []
    for e in table:
        cells = [e['method'], e['dataset'],
                 str(e['iters'])] + [
                     f"{e['values'][k]:.2f}" if isinstance(
                         e['values'].get(k), float) else str(e['values'].get(
                             k, '-')) for k in keys
                 ] + [e['work_dir']]
        lines.append('| ' + ' | '.join(cells) + ' |')
        csv_rows.append(cells)
    text = '\n'.join(lines) + '\n'
    print(text)
    if out:
        os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
        with open(out, 'w') as f:
            f.write(text)
        with open(osp.splitext(out)[0] + '.csv', 'w', newline='') as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(csv_rows)
    return text


def plot_curves(entry, folder):
    """Loss terms and knn_top1 against the iteration, as one PNG."""
    import matplotlib.pyplot as plt

    from mmfgssl.visualization import save_figure
    rows = entry['rows']
    losses = sorted({
        k
        for r in rows
        for k in r if k.startswith('loss') and isinstance(r[k], (int, float))
    })
    knn = [(r['step'], r['knn_top1']) for r in rows if 'knn_top1' in r]
    fig, axes = plt.subplots(
        1, 2 if knn else 1, figsize=(9 if knn else 5, 3.2), squeeze=False)
    ax = axes[0][0]
    for key in losses:
        pts = [(r['iter'], r[key]) for r in rows if key in r and 'iter' in r]
        ax.plot(*zip(*pts), label=key)
    ax.set_xlabel('iteration')
    ax.set_title(f"{entry['method']} | {entry['dataset']}: losses", fontsize=8)
    if losses:
        ax.legend(fontsize=7)
    if knn:
        ax = axes[0][1]
        ax.plot(*zip(*knn), marker='o')
        ax.set_xlabel('iteration')
        ax.set_ylabel('kNN top-1 (%)')
        ax.set_title('knn_top1', fontsize=8)
    os.makedirs(folder, exist_ok=True)
    name = re.sub(r'[^A-Za-z0-9_.-]+', '_',
                  osp.normpath(entry['work_dir']).strip('/'))
    return save_figure(fig, osp.join(folder, f'{name}.png'))


def main():
    args = parse_args()
    missing = [d for d in args.work_dirs if not osp.isdir(d)]
    if missing:
        raise SystemExit(f'not a directory: {missing}')
    table = summarize(args.work_dirs)
    write_table(table, args.out)
    if args.plot:
        for entry in table:
            print('wrote', plot_curves(entry, args.plot))


if __name__ == '__main__':
    main()
