# Copyright (c) OpenMMLab. All rights reserved.
from .cam import activation_cam, class_cam
from .gradcam_fitting import (gradcam_from_grad, gradcam_kl_div, maxout,
                              normalize_attention, spatial_log_softmax,
                              ssl_gradcam, weighted_pool)
from .heatmap_box import (BOX_EDGES, check_heatmap_threshold, feature_heatmaps,
                          heatmap_thresholds, heatmaps_to_boxes,
                          paired_box_iou)
from .instance_discrimination import (memory_bank_init, memory_bank_logits,
                                      momentum_update_rows,
                                      sample_negative_indices)
from .memory_bank import MemoryBank
from .saliency_alignment import (ATTENTION_MODES, alignment_loss,
                                 correspondence, cross_view_attention,
                                 downsample_mask)

__all__ = [
    'ATTENTION_MODES', 'activation_cam', 'class_cam', 'gradcam_from_grad',
    'gradcam_kl_div', 'maxout', 'normalize_attention', 'spatial_log_softmax',
    'ssl_gradcam', 'weighted_pool', 'BOX_EDGES', 'check_heatmap_threshold',
    'feature_heatmaps', 'heatmap_thresholds', 'heatmaps_to_boxes',
    'paired_box_iou', 'alignment_loss', 'correspondence',
    'cross_view_attention', 'downsample_mask', 'MemoryBank',
    'memory_bank_init', 'memory_bank_logits', 'momentum_update_rows',
    'sample_negative_indices'
]
