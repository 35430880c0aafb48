"""Trait ids read as one column, named (db/trait_list.py)."""
from placement.db import trait_list


def test_named_keeps_the_column_order():
    names = {'3': 'HW_CPU_X86_AVX2', '17': 'CUSTOM_B', '250': 'CUSTOM_A'}
    assert trait_list.named('3,17,250', names) == [
        'HW_CPU_X86_AVX2', 'CUSTOM_B', 'CUSTOM_A']


def test_named_without_traits_is_empty():
    assert trait_list.named(None, {}) == []
    assert trait_list.named('', {'1': 'CUSTOM_A'}) == []


def test_a_trait_deleted_since_the_providers_were_read_is_left_out():
    # Taken off the provider and deleted between the two reads (READ
    # COMMITTED): the provider no longer has it.
    assert trait_list.named('3,17,250', {'3': 'A', '250': 'C'}) == ['A', 'C']
