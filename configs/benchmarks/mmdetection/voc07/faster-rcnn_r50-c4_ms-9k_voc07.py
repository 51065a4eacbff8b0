# Faster R-CNN R50-C4 fine-tuned on PASCAL VOC07 trainval only and evaluated
# on VOC07 test: the protocol of DiLo (AAAI 2021) Table 5 ("finetuning it on
# PASCAL VOC 2007 trainval ... the finetuning takes 9k iterations", a BN
# layer after conv5 in the box head, all layers fine-tuned with synchronized
# BN). Everything else as the VOC07+12 config. The paper gives no lr steps
# for 9k: they are put at the same fractions as 18k / 22k of 24k.
_base_ = '../voc0712/faster-rcnn_r50-c4_ms-24k_voc0712.py'

train_dataloader = dict(
    dataset=dict(
        # only the VOC2007 trainval member of the base's ConcatDataset
        _delete_=True,
        **_base_.train_dataloader.dataset.datasets[0]))

max_iters = 9000
train_cfg = dict(max_iters=max_iters, val_interval=1000)
param_scheduler = [
    _base_.param_scheduler[0],  # 100 linear warm-up iterations
    dict(_base_.param_scheduler[1], end=max_iters, milestones=[6750, 8250])
]
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=1000))
