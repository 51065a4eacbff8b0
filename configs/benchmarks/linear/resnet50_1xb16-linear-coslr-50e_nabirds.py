# As resnet50_1xb16-linear-coslr-50e_cub.py,
# on NABirds (555 leaf classes, official train / test split).
_base_ = './resnet50_1xb16-linear-coslr-50e_cub.py'

model = dict(head=dict(num_classes=555))
data_preprocessor = dict(num_classes=555)
train_dataloader = dict(dataset=dict(type='NABirds', data_root='data/nabirds'))
val_dataloader = dict(dataset=dict(type='NABirds', data_root='data/nabirds'))
test_dataloader = val_dataloader
