# As resnet50_1xb16-finetune-coslr-50e_cub.py,
# on FGVC-Aircraft (100 variants; trains on the official
# trainval split, tests on test).
_base_ = './resnet50_1xb16-finetune-coslr-50e_cub.py'

model = dict(head=dict(num_classes=100))
data_preprocessor = dict(num_classes=100)
train_dataloader = dict(
    dataset=dict(
        type='FGVCAircraftWithBoxes',
        data_root='data/fgvc_aircraft',
        split='trainval'))
val_dataloader = dict(
    dataset=dict(type='FGVCAircraftWithBoxes', data_root='data/fgvc_aircraft'))
test_dataloader = val_dataloader
