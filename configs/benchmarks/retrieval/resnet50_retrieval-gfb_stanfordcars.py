# As resnet50_retrieval-gfb_cub.py, on the Stanford Cars test split.
_base_ = './resnet50_retrieval-gfb_cub.py'

test_dataloader = dict(
    dataset=dict(type='StanfordCarsWithBoxes', data_root='data/stanfordcars'))
