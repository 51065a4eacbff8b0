"""mmfgssl: self-supervised pre-training that localises objects, for fine-grained images."""
import os.path as osp

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def get_version():
    """Read ``__version__`` from ``mmfgssl/version.py`` without importing the package."""
    scope = {}
    with open(osp.join(HERE, 'mmfgssl', 'version.py')) as f:
        exec(compile(f.read(), 'mmfgssl/version.py', 'exec'), scope)
    return scope['__version__']


def parse_requirements(fname):
    """Requirement lines of ``requirements/<fname>``, comments and blanks dropped."""
    reqs = []
    with open(osp.join(HERE, 'requirements', fname)) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                reqs.append(line)
    return reqs


with open(osp.join(HERE, 'README.md'), encoding='utf-8') as f:
    long_description = f.read()

setup(
    name='mmfgssl',
    version=get_version(),
    description=('Localisation-aware self-supervised pre-training for '
                 'fine-grained recognition (CVSA, LCR, ContrastiveCrop, DiLo)'),
    long_description=long_description,
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('configs', 'tools', 'tests')),
    python_requires='>=3.8',
    install_requires=parse_requirements('runtime.txt'),
    extras_require=dict(
        mim=parse_requirements('mminstall.txt'),
        det=parse_requirements('optional.txt'),
        tests=parse_requirements('tests.txt'),
    ),
    license='Apache License 2.0',
    zip_safe=False,
)
