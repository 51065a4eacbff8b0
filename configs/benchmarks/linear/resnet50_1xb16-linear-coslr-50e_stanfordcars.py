# As resnet50_1xb16-linear-coslr-50e_cub.py,
# on Stanford Cars (196 classes, official train / test split).
_base_ = './resnet50_1xb16-linear-coslr-50e_cub.py'

model = dict(head=dict(num_classes=196))
data_preprocessor = dict(num_classes=196)
train_dataloader = dict(
    dataset=dict(type='StanfordCarsWithBoxes', data_root='data/stanfordcars'))
val_dataloader = dict(
    dataset=dict(type='StanfordCarsWithBoxes', data_root='data/stanfordcars'))
test_dataloader = val_dataloader
