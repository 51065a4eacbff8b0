from mmfgssl.utils import replace_sync_bn


def test_replace_sync_bn_replaces_nested_norm_configs():
    cfg = dict(
        backbone=dict(type='ResNet', norm_cfg=dict(type='SyncBN')),
        neck=dict(type='NonLinearNeck', norm_cfg=dict(type='SyncBN')),
        heads=[
            dict(norm_cfg=dict(type='MMSyncBN')),
            dict(norm_cfg=dict(type='GN', num_groups=2))
        ])
    assert replace_sync_bn(cfg, 'BN') == 3
    assert cfg['backbone']['norm_cfg'] == dict(type='BN')
    assert cfg['neck']['norm_cfg'] == dict(type='BN')
    assert cfg['heads'][0]['norm_cfg'] == dict(type='BN')
    assert cfg['heads'][1]['norm_cfg'] == dict(type='GN', num_groups=2)
    assert replace_sync_bn(cfg) == 0
