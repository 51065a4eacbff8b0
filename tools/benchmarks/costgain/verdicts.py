# Copyright (c) OpenMMLab. All rights reserved.
"""Section 4b: the quality targets, met or not."""
import statistics

from .tables import ABLATION_CONFIGS, DIAGNOSTIC_TARGETS, QUALITY_CONFIGS


def quality_verdicts(results, diagnostics, configs=QUALITY_CONFIGS):
    """Targets of the quality section, as result rows' fields.

    Args:
        results (dict): name -> list (one per seed) of
            ``{pooling: {metric: value}}``; ``'random init'`` included.
        diagnostics (dict): ``(name, key)`` -> list of per-seed values.

    Returns:
        list[dict]: ``name``, ``baseline``, ``metric``, ``value`` (the
        method's mean), ``std`` (its std over seeds), ``gain`` (the mean
        minus the reference's), ``target`` (in words) and ``meets``.
    """
    from mmfgssl.utils import mean_and_std

    def stats(name, metric, pooling='avg'):
        return mean_and_std([r[pooling][metric] for r in results[name]])

    out = []
    ssl = [n for n, _, _, t in configs if t != 'ceiling']
    for name, _, base, target in configs:
        if name not in results or target == 'ablation':
            continue
        if target == 'learns':
            mean, std = stats(name, 'knn_top1')
            ref, ref_std = stats('random init', 'knn_top1')
            out.append(
                dict(
                    name=name,
                    baseline='random init',
                    metric='knn_top1',
                    value=mean,
                    std=std,
                    gain=mean - ref,
                    target='gain >= 5',
                    meets=mean - ref >= 5))
        elif target == 'ceiling':
            trained = [(stats(n, 'knn_top1')[0], n) for n in ssl
                       if n in results]
            if not trained:  # nothing self-supervised to compare with
                continue
            best = max(trained)
            mean, std = stats(name, 'knn_top1')
            out.append(
                dict(
                    name=name,
                    baseline=f'best self-supervised ({best[1]})',
                    metric='knn_top1',
                    value=mean,
                    std=std,
                    gain=mean - best[0],
                    target='gain >= 20',
                    meets=mean - best[0] >= 20))
        else:
            poolings = ['avg'] + (['gfb'] if 'gfb' in results[name][0] else [])
            for pooling in poolings:
                for metric in ('knn_top1', 'rank1'):
                    mean, std = stats(name, metric, pooling)
                    ref, ref_std = stats(base, metric)
                    gain, bar = mean - ref, max(std, ref_std)
                    if target == 'strong':
                        words, meets = ('gain >= 5 and > 2 x std', gain >= 5
                                        and gain > 2 * bar)
                    else:
                        words, meets = 'gain > std', gain > bar
                    label = metric if pooling == 'avg' else \
                        f'{metric} (Eq. 8)'
                    out.append(
                        dict(
                            name=name,
                            baseline=base,
                            metric=label,
                            value=mean,
                            std=std,
                            gain=gain,
                            target=words,
                            meets=meets))
            # localisation, both metrics: MaxBoxAcc of the activation map
            # and the energy inside the box of the method's own map (the GFB
            # attention for GFB models), against the baseline's activation
            energy = 'gfb_box_energy' if 'gfb_box_energy' in results[name][0][
                'avg'] else 'box_energy'
            for own, ref_metric in (('maxboxacc', 'maxboxacc'),
                                    (energy, 'box_energy')):
                mean, std = stats(name, own)
                ref, _ = stats(base, ref_metric)
                out.append(
                    dict(
                        name=name,
                        baseline=base,
                        metric=own,
                        value=mean,
                        std=std,
                        gain=mean - ref,
                        target='gain > 0',
                        meets=mean > ref))
    for (name, key), values in diagnostics.items():
        if key in DIAGNOSTIC_TARGETS:
            metric, words, test = DIAGNOSTIC_TARGETS[key]
            mean = statistics.fmean(values)
            out.append(
                dict(
                    name=name,
                    metric=metric,
                    value=mean,
                    target=words,
                    meets=test(mean)))
    return out


def select_configs(names=None, configs=QUALITY_CONFIGS):
    """The entries of ``configs`` named in ``names`` and, in the quality
    section, their baselines (all of them for None), in table order."""
    if not names:
        return configs
    known = {n: b for n, _, b, _ in QUALITY_CONFIGS + ABLATION_CONFIGS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f'--methods: unknown {unknown}; choose from '
                         f'{list(known)}')
    wanted = set(names)
    if configs is QUALITY_CONFIGS:
        wanted |= {known[n] for n in names if known[n]}
    return [c for c in configs if c[0] in wanted]
