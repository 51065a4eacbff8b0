# SimCLR + ContrastiveCrop on CUB-200-2011: the ImageNet config (same
# schedule, ContrastiveCrop recipe for 100 epochs) on CUB's training split.
_base_ = './simclr-ccrop_resnet50_8xb64-coslr-100e_in1k.py'

train_dataloader = dict(
    dataset=dict(
        type='CUBWithBoxes', data_root='data/CUB_200_2011', split='train'))
