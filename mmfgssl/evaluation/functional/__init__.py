from .knn import (leave_one_out_rank_k, leave_one_out_retrieval,
                  weighted_knn_classify)
from .localization import (activation_maps, box_energy_share, cam_max_box_acc,
                           cell_overlap, correspondence_mask_agreement,
                           mask_energy_share, rescale_boxes)
from .max_box_acc import (box_hits, box_iou, default_cam_thresholds,
                          largest_component_box, max_box_acc,
                          summarize_box_hits)

__all__ = [
    'weighted_knn_classify', 'leave_one_out_rank_k', 'leave_one_out_retrieval',
    'box_hits', 'box_iou', 'default_cam_thresholds', 'largest_component_box',
    'max_box_acc', 'summarize_box_hits', 'activation_maps', 'box_energy_share',
    'cam_max_box_acc', 'cell_overlap', 'correspondence_mask_agreement',
    'mask_energy_share', 'rescale_boxes'
]
