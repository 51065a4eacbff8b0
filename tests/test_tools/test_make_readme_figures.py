"""The README's picture command, shortened (2 epochs, batch 4, 2 images),
on the tiny synthetic set and a results.csv of cost_and_gain's format:
every PNG is written, decodes, is a picture and stays under 150 KB."""
import os
import os.path as osp

import numpy as np
from PIL import Image
from tool_runs import run_python


def test_make_readme_figures(tiny_synthetic_cub, tmp_path):
    results = tmp_path / 'bench' / 'results.csv'
    results.parent.mkdir()
    results.write_text(
        'section,name,baseline,metric,value,std,iqr,range,ratio,gain,target,'
        'meets,values,config\n'
        'quality,random init,,knn_top1,20.2,1.2,,,,,,,,\n'
        'quality,random init,,maxboxacc,29.3,8.9,,,,,,,,\n'
        'quality,BYOL,,knn_top1,34.0,3.0,,,,,,,,\n'
        'quality,BYOL,,maxboxacc,34.7,2.0,,,,,,,,\n'
        'quality,BYOL + CVSA,BYOL,knn_top1,28.8,4.0,,,,,,,,\n'
        'quality,BYOL + CVSA,BYOL,maxboxacc,86.9,3.0,,,,,,,,\n'
        'pipeline,RandomResizedCrop,,images/s,1.0,,,0.5,1.0,,,,,\n')
    out_dir = tmp_path / 'figures'
    run_python('tools/visualization/make_readme_figures.py', '--data-root',
               tiny_synthetic_cub, '--out-dir', str(out_dir), '--work-dir',
               str(tmp_path / 'work'), '--results', str(results), '--epochs',
               '2', '--batch-size', '4', '--num-images', '2')
    names = sorted(os.listdir(out_dir))
    assert names == [
        'attention.png', 'attention_gfb.png', 'ccrop_boxes.png', 'gain.png',
        'views_byol.png', 'views_ccrop.png', 'views_cvsa.png', 'views_dilo.png'
    ]
    for name in names:
        path = out_dir / name
        assert osp.getsize(path) <= 150 * 1024, name
        with Image.open(path) as img:
            assert img.format == 'PNG'
            pixels = np.asarray(img.convert('RGB'))
        assert min(pixels.shape[:2]) >= 100, name
        assert pixels.std() > 10, name  # a picture, not a blank canvas
