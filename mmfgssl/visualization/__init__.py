# Copyright (c) OpenMMLab. All rights reserved.
from .attention_maps import (activation_heatmap, cvsa_correspondence,
                             gfb_attention, load_ssl_model, preprocess_image,
                             ssl_loss_gradcam)
from .drawing import (find_view_annotations, overlay_heatmap, save_figure,
                      show_image)

__all__ = [
    'activation_heatmap', 'cvsa_correspondence', 'gfb_attention',
    'load_ssl_model', 'preprocess_image', 'ssl_loss_gradcam',
    'find_view_annotations', 'overlay_heatmap', 'save_figure', 'show_image'
]
