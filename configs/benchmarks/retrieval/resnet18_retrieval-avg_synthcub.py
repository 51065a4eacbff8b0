# Leave-one-out retrieval of any ResNet-18 checkpoint pre-trained on the
# synthetic set, with the averaged feature (see resnet50_retrieval-avg_cub.py).
_base_ = '../../lcr/mocov2-gfb_resnet18_1xb32-retrieval_synthcub.py'

model = dict(test_pooling='avg')
