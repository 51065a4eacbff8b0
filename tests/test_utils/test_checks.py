import pytest

from mmfgssl.utils import check_choice


def test_check_choice_accepts_every_choice():
    for choices in (('a', 'b'), ['a', 'b'], {'b', 'a'}, dict(a=1, b=2)):
        for value in ('a', 'b'):
            assert check_choice('key', value, choices) is None


def test_check_choice_names_key_choices_and_value():
    with pytest.raises(ValueError) as err:
        check_choice('Transform.mode', 'c', ('z', 'a'))
    # a sequence keeps its order; the value is shown with repr()
    assert str(err.value) == "Transform.mode must be one of ['z', 'a'], " \
        "got 'c'"
    with pytest.raises(ValueError) as err:
        check_choice('split', None, {'train', 'test', 'unlabeled'})
    # a set is listed sorted, so the message does not depend on hashing
    assert str(err.value) == ("split must be one of ['test', 'train', "
                              "'unlabeled'], got None")
