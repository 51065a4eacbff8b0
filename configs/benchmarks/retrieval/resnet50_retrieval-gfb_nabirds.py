# As resnet50_retrieval-gfb_cub.py, on the NABirds test split.
_base_ = './resnet50_retrieval-gfb_cub.py'

test_dataloader = dict(dataset=dict(type='NABirds', data_root='data/nabirds'))
