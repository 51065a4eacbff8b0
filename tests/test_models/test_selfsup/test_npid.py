"""NPID: the softmax-NCE loss of DiLo's Eq. 1 against a slow re-computation,
the memory update, bad batches, and training and resuming with mmengine's
Runner on the synthetic set."""
import copy
import math
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import Runner
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

REPO_ROOT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
CONFIG = osp.join(REPO_ROOT, 'configs', 'npid',
                  'npid_resnet18_1xb32-steplr-100e_synthcub.py')
DILO_CONFIG = osp.join(REPO_ROOT, 'configs', 'dilo',
                       'npid-dilo_resnet18_1xb32-steplr-100e_synthcub.py')


def build_model(length=8, neg_num=5):
    cfg = Config.fromfile(CONFIG)
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.memory_bank.length = length
    model_cfg.neg_num = neg_num
    model_cfg.data_preprocessor = cfg.data_preprocessor
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        return MODELS.build(model_cfg)


def samples(indices):
    return [DataSample(metainfo=dict(sample_idx=i)) for i in indices]


def test_loss_is_the_softmax_over_own_and_drawn_rows(monkeypatch):
    torch.manual_seed(0)
    model = build_model()
    model.eval()  # BN in eval: the same embeddings when recomputed
    img = torch.randn(3, 3, 56, 56)
    idx = [5, 0, 2]
    neg = torch.tensor([[1, 2, 3, 4, 6], [7, 7, 1, 5, 2], [0, 2, 3, 3, 1]])
    monkeypatch.setattr(model.memory_bank, 'sample_negatives',
                        lambda batch, num: neg[:batch, :num])
    bank_before = model.memory_bank.bank.clone()
    with torch.no_grad():
        feats = F.normalize(model.neck(model.backbone(img))[0], dim=1)
    losses = model.loss([img], samples(idx))

    # Eq. 1 by hand: -log(exp(v_i.v/t) / sum over own + drawn rows), mean
    tau, want = 0.07, 0.
    for b, i in enumerate(idx):
        v = feats[b].tolist()

        def sim(row):
            return sum(a * c for a, c in zip(v, bank_before[row].tolist()))

        terms = [sim(i)] + [sim(int(j)) for j in neg[b]]
        denom = sum(math.exp(t / tau) for t in terms)
        want += -math.log(math.exp(terms[0] / tau) / denom) / len(idx)
    assert abs(float(losses['loss']) - want) < 1e-4

    # the own rows moved half-way to the embeddings; the others did not
    bank = model.memory_bank.bank
    for b, i in enumerate(idx):
        expected = F.normalize(0.5 * bank_before[i] + 0.5 * feats[b], dim=0)
        assert torch.allclose(bank[i], expected, atol=1e-5)
    untouched = [r for r in range(8) if r not in idx]
    assert torch.equal(bank[untouched], bank_before[untouched])
    assert abs(float(losses['bank_written']) - 3 / 8) < 1e-6


def test_bad_batches_are_refused():
    model = build_model()
    img = torch.randn(2, 3, 56, 56)
    with pytest.raises(ValueError, match='num_views=1'):
        model.loss([img, img], samples([0, 1]))
    with pytest.raises(KeyError, match='sample_idx'):
        model.loss([img], [DataSample(), DataSample()])
    with pytest.raises(ValueError, match='model.memory_bank.length'):
        model.loss([img], samples([0, 8]))


@pytest.mark.parametrize('config', [CONFIG, DILO_CONFIG], ids=osp.basename)
def test_runner_trains_and_resumes_with_the_memory(config, tiny_synthetic_cub,
                                                   tmp_path):
    """Two epochs of the 16 training images (batch 4): every row is written
    in the first epoch; the checkpoint holds the memory and a resumed run
    starts from it."""
    cfg = Config.fromfile(config)
    cfg.work_dir = str(tmp_path / 'work')
    cfg.model.memory_bank.length = 16
    cfg.train_dataloader.update(
        batch_size=4, num_workers=0, persistent_workers=False)
    cfg.train_dataloader.dataset.data_root = tiny_synthetic_cub
    cfg.train_cfg.max_epochs = 2
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=1)
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.iter == 8
    hub = runner.message_hub
    assert hub.get_scalar('train/bank_written').current() == 1.0
    assert math.isfinite(hub.get_scalar('train/loss').current())
    bank = runner.model.memory_bank.bank.clone()
    assert torch.allclose(bank.norm(dim=1), torch.ones(16), atol=1e-5)

    ckpt = torch.load(
        osp.join(cfg.work_dir, 'epoch_2.pth'),
        map_location='cpu',
        weights_only=False)
    assert torch.equal(ckpt['state_dict']['memory_bank.bank'], bank)

    resumed_cfg = cfg.copy()
    resumed_cfg.work_dir = str(tmp_path / 'resumed')
    resumed_cfg.train_cfg.max_epochs = 3
    resumed_cfg.resume = True
    resumed_cfg.load_from = osp.join(cfg.work_dir, 'epoch_2.pth')
    resumed = Runner.from_cfg(resumed_cfg)
    resumed.load_or_resume()
    assert resumed.epoch == 2
    assert torch.equal(resumed.model.memory_bank.bank, bank)
    assert bool(resumed.model.memory_bank.written.all())
