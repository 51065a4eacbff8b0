# Copyright (c) OpenMMLab. All rights reserved.
"""results.csv rows, and results.md / summary.md from them."""
import csv
import os
import os.path as osp
import platform

import torch

from mmfgssl.utils.method_table import SUPERVISED

# One meaning per column: ``std`` the sample standard deviation over seeds,
# ``iqr`` the interquartile range over timed steps, ``range`` the largest
# minus the smallest value over rounds or seeds; ``ratio`` the value over its
# baseline's, ``gain`` the value minus its reference's.
FIELDS = ('section', 'name', 'baseline', 'metric', 'value', 'std', 'iqr',
          'range', 'ratio', 'gain', 'target', 'meets', 'values', 'config')


def result(**fields):
    """One row of results.csv: ``section``, ``name``, ``metric`` and
    ``value`` always; the other :data:`FIELDS` when they apply (see the
    comment above them for what each column means)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise KeyError(f'unknown result fields {sorted(unknown)}')
    row = dict.fromkeys(FIELDS)
    row.update(fields)
    return row


def machine():
    text = (f'{platform.machine()}, {os.cpu_count()} CPU cores, '
            f'torch {torch.__version__}, {torch.get_num_threads()} threads')
    if torch.cuda.is_available():
        text += f', {torch.cuda.get_device_name(0)}'
    return text


def fmt(value, digits=3):
    if value is None or value == '':
        return ''
    if isinstance(value, bool):
        return 'yes' if value else 'NO'
    if isinstance(value, float):
        return f'{value:.{digits}f}'
    return str(value)


def write_results(rows, work_dir, header):
    with open(osp.join(work_dir, 'results.csv'), 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    lines = list(header)
    sections = [
        ('pipeline', '1. Data pipeline throughput, one worker process, '
         '224 px views (median of rounds; range: fastest - slowest round)', [
             'pipeline', 'images/s', 'range', 'x RandomResizedCrop', 'target',
             'meets'
         ], ('name', 'value', 'range', 'ratio', 'target', 'meets')),
        ('step', '2. Training step time (median after warm-up; iqr: '
         'interquartile range) and peak memory of a step',
         ['method', 'metric', 'value', 'iqr', 'x baseline', 'target', 'meets'
          ], ('name', 'metric', 'value', 'iqr', 'ratio', 'target', 'meets')),
        ('ccrop', '3. ContrastiveCrop box updates',
         ['what', 'value', 'target',
          'meets'], ('name', 'value', 'target', 'meets')),
        ('quality', '4. Quality under an equal budget (mean and sample std '
         'over seeds; kNN top-1, rank-1, MaxBoxAcc and the share of the '
         'activation energy inside the ground-truth box, in %; range: the '
         'slowest - the fastest seed\'s pre-training seconds)',
         ['method', 'baseline', 'metric', 'mean', 'std', 'range', 'per seed'],
         ('name', 'baseline', 'metric', 'value', 'std', 'range', 'values')),
        ('ablations', "6. Ablations: CVSA's attention (Eq. 3 as written, "
         "cosine with temperature; the default, over sqrt(d), is 'BYOL + "
         "CVSA' above) and ContrastiveCrop's threshold (mean and std over "
         'seeds)',
         ['method', 'baseline', 'metric', 'mean', 'std', 'range', 'per seed'],
         ('name', 'baseline', 'metric', 'value', 'std', 'range', 'values')),
        ('targets', '4b. Targets (gain: mean - the reference mean; std: the '
         "method's)", [
             'method', 'reference', 'metric', 'mean', 'std', 'gain', 'target',
             'meets'
         ], ('name', 'baseline', 'metric', 'value', 'std', 'gain', 'target',
             'meets')),
        ('diagnostics', '5. Diagnostics of the quality runs (mean and std '
         'over seeds)', ['method', 'what', 'mean', 'std', 'per seed'],
         ('name', 'metric', 'value', 'std', 'values')),
    ]
    for section, title, heads, keys in sections:
        lines += [
            '', f'### {title}', '', '| ' + ' | '.join(heads) + ' |',
            '|' + '---|' * len(heads)
        ]
        for row in rows:
            if row['section'] == section:
                # percentages with 1 digit; fractions (box IoU, shares), step
                # times and ratios with 3
                percent = section in ('quality', 'targets', 'ablations') and \
                    not row['metric'].startswith('ContrastiveCrop')
                digits = 1 if row['metric'] in ('images/s', 'peak MiB') or \
                    percent else 3
                cells = [
                    fmt(
                        row[k], 3 if k in ('ratio', 'target') and not percent
                        else digits) for k in keys
                ]
                lines.append('| ' + ' | '.join(cells) + ' |')
    text = '\n'.join(lines) + '\n'
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(text)
    return text


def quality_summary(rows):
    """One line per backbone of the quality section: kNN top-1, rank-1,
    MaxBoxAcc and the activation energy inside the box (mean +- std over the
    seeds), and the kNN gain over the baseline."""
    qual = {
        (r['name'], r['metric']): r
        for r in rows if r['section'] == 'quality'
    }
    names = list(dict.fromkeys(n for n, _ in qual))
    metrics = (('knn_top1', 'kNN top-1'), ('rank1', 'rank-1'),
               ('maxboxacc', 'MaxBoxAcc'), ('box_energy', 'energy in box'))
    lines = [
        '| backbone | ' + ' | '.join(m for _, m in metrics) +
        ' | kNN gain over |', '|---' * (len(metrics) + 2) + '|'
    ]
    for name in names:
        if (name, 'knn_top1') not in qual:
            continue
        cells = [
            f"{float(qual[(name, k)]['value']):.1f} +- "
            f"{float(qual[(name, k)]['std']):.1f}" for k, _ in metrics
        ]
        base = qual[(name, 'knn_top1')]['baseline'] or (
            'random init' if name not in ('random init', SUPERVISED) else '')
        gain = ''
        if base:
            diff = float(qual[(name, 'knn_top1')]['value']) - float(
                qual[(base, 'knn_top1')]['value'])
            gain = f'{diff:+.1f} ({base})'
        lines.append(f"| {name} | {' | '.join(cells)} | {gain} |")
    return '\n'.join(lines) + '\n'
