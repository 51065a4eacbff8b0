"""Timing and memory helpers of the cost tools."""
import math
import subprocess
import sys
import time

import pytest

from mmfgssl.utils import mean_and_std, time_dataset_items, time_train_steps


class RecordingDataset:

    def __init__(self, name, length, log, pause=0.0):
        self.name, self.length, self.log, self.pause = name, length, log, pause

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        self.log.append((self.name, index))
        time.sleep(self.pause)
        return index


def test_time_dataset_items_takes_turns_on_the_same_indices():
    log = []
    fast = RecordingDataset('a', 5, log)
    slow = RecordingDataset('b', 5, log, pause=0.01)
    times = time_dataset_items([fast, slow], num_images=3, rounds=2)
    # round r reads (3 r + i) mod 5 of each dataset, dataset by dataset
    assert log == ([('a', i) for i in (0, 1, 2)] + [('b', i)
                                                    for i in (0, 1, 2)] +
                   [('a', i) for i in (3, 4, 0)] + [('b', i)
                                                    for i in (3, 4, 0)])
    assert [len(t) for t in times] == [2, 2]
    assert all(t >= 0.01 for t in times[1])  # seconds per item
    assert max(times[0]) < min(times[1])
    with pytest.raises(ValueError, match='>= 1'):
        time_dataset_items([fast], num_images=0, rounds=1)


class CountingModel:

    def __init__(self, name, log, pause):
        self.name, self.log, self.pause = name, log, pause

    def train_step(self, data, optim_wrapper):
        self.log.append((self.name, data, optim_wrapper))
        time.sleep(self.pause)


def test_time_train_steps_alternates_and_skips_the_warmup():
    log, synced = [], []
    runs = [(CountingModel('a', log, 0.0), 'opt-a', 'data-a'),
            (CountingModel('b', log, 0.01), 'opt-b', 'data-b')]
    times = time_train_steps(
        runs, warmup=2, steps=3, sync=lambda: synced.append(1))
    assert [name for name, *_ in log] == ['a', 'b'] * 5
    assert log[0][1:] == ('data-a', 'opt-a')
    assert log[1][1:] == ('data-b', 'opt-b')
    assert [len(t) for t in times] == [3, 3]
    assert all(t >= 0.01 for t in times[1])
    assert len(synced) == 2 * 10  # before and after every step


PEAK_PROBE = """
import numpy as np
from mmfgssl.utils import PeakMemory
memory = PeakMemory('cpu')
memory.start()
if not memory.available:
    print('UNAVAILABLE')
    raise SystemExit(0)
block = np.ones(160 * 2**20 // 8)  # 160 MiB, every page touched
peak = memory.stop()
del block
memory.start()  # a new start measures from the current level again
small = memory.stop()
print(f'PEAKS {peak} {small}')
"""


def test_peak_memory_on_cpu_sees_a_large_allocation():
    # In a fresh process, as cost_and_gain.py's --memory-probe runs it: in a
    # process that has already freed 160 MiB that the allocator keeps
    # resident (a long pytest session), the block reuses those pages and
    # the high-water mark rightly does not move (see PeakMemory's docstring).
    proc = subprocess.run([sys.executable, '-c', PEAK_PROBE],
                          capture_output=True,
                          text=True,
                          check=True)
    if 'UNAVAILABLE' in proc.stdout:
        pytest.skip('/proc/self/clear_refs cannot be written here')
    peak, small = map(float, proc.stdout.split('PEAKS')[1].split())
    assert 150 <= peak < 400
    assert small < 50


def test_mean_and_std_against_the_formula():
    values = [12.0, 15.0, 9.0, 11.5]
    n = len(values)
    mean = sum(values) / n
    var = 0.0
    for v in values:
        var += (v - mean)**2
    std = math.sqrt(var / (n - 1))
    got = mean_and_std(values)
    assert got[0] == pytest.approx(mean)
    assert got[1] == pytest.approx(std)
    assert mean_and_std([3.0]) == (3.0, 0.0)
    with pytest.raises(ValueError):
        mean_and_std([])
