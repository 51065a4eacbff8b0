# As resnet50_retrieval-gfb_cub.py, on the FGVC-Aircraft test split.
_base_ = './resnet50_retrieval-gfb_cub.py'

test_dataloader = dict(
    dataset=dict(type='FGVCAircraftWithBoxes', data_root='data/fgvc_aircraft'))
