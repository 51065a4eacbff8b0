"""Cost of ContrastiveCrop's box updates relative to a training epoch.

Parses the log of a training run (``WORK_DIR/<timestamp>/<timestamp>.log``):
the seconds of each update from the line ``ContrastiveCrop: boxes updated
after epoch E in S s`` of ``ContrastiveCropHook``, and the length of an
epoch from the timestamps of the first logged iteration that reaches the
same index in consecutive epochs (``Epoch(train) [e][i/n]``), over the
epochs that ran no update and saved no checkpoint. Timestamps have a
resolution of one second: use runs with epochs of several seconds.

Example:
    python tools/analysis_tools/ccrop_update_cost.py \
        work_dirs/ccrop/20261125_081757/20261125_081757.log
"""
import argparse
import re
import statistics
from datetime import datetime

EPOCH = re.compile(r'Epoch\(train\)\s+\[(\d+)\]\[(\d+)/\d+\]')
UPDATE = re.compile(r'boxes updated after epoch (\d+) in ([\d.]+) s')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('log')
    args = parser.parse_args()

    marks, updates, busy = {}, [], set()
    epoch, index = 0, None
    with open(args.log) as f:
        for line in f:
            match = EPOCH.search(line)
            if match:
                epoch = int(match.group(1))
                if index is None:
                    index = int(match.group(2))
                if int(match.group(2)) == index:
                    marks[epoch] = datetime.strptime(line[:19],
                                                     '%Y/%m/%d %H:%M:%S')
            match = UPDATE.search(line)
            if match:
                updates.append(float(match.group(2)))
                busy.add(int(match.group(1)))
            if 'Saving checkpoint' in line:
                busy.add(epoch)
    deltas = [(marks[e + 1] - marks[e]).total_seconds() for e in marks
              if e + 1 in marks and e not in busy]
    if not updates or not deltas:
        raise ValueError(f'{args.log}: found {len(updates)} box updates and '
                         f'{len(deltas)} plain epochs; need both')
    epoch_s = statistics.median(deltas)
    mean_update = statistics.mean(updates)
    print(f'{len(updates)} updates: {updates} s, mean {mean_update:.2f} s; '
          f'epoch: median {epoch_s:.1f} s over {len(deltas)} epochs; '
          f'update / epoch = {mean_update / epoch_s:.2f}')


if __name__ == '__main__':
    main()
