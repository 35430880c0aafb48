import pytest

from placement import conf as conf_mod
from tests.functional.app import make_conf


def test_overrides_do_not_leak_between_configurations():
    limited = make_conf('sqlite://', {
        ('placement', 'max_allocation_candidates'): 2})
    plain = make_conf('sqlite://')
    assert limited.placement.max_allocation_candidates == 2
    assert plain.placement.max_allocation_candidates == -1


def test_upstream_options_and_defaults(tmp_path):
    path = tmp_path / 'placement.conf'
    path.write_text('[placement_database]\nconnection = sqlite://\n'
                    'max_pool_size = 5\n[api]\nauth_strategy = noauth2\n'
                    '[placement]\nrandomize_allocation_candidates = true\n'
                    '[workarounds]\noptimize_for_wide_provider_trees = true\n'
                    '[keystone_authtoken]\nwww_authenticate_uri = http://k\n'
                    '[unknown_section]\nwhatever = 1\n')
    conf = conf_mod.load(files=[str(path)])
    assert conf.api.auth_strategy == 'noauth2'
    assert conf.placement_database.max_pool_size == 5
    assert conf.placement_database.sync_on_startup is False
    assert conf.placement.randomize_allocation_candidates is True
    assert conf.placement.allocation_conflict_retry_count == 10
    assert conf.placement.allocation_candidates_generation_strategy == \
        'depth-first'


def test_bad_value_names_the_option(tmp_path):
    path = tmp_path / 'placement.conf'
    path.write_text('[placement]\nmax_allocation_candidates = lots\n')
    with pytest.raises(SystemExit) as caught:
        conf_mod.load(files=[str(path)])
    assert 'max_allocation_candidates' in str(caught.value)


def test_config_dir_from_environment(tmp_path, monkeypatch):
    (tmp_path / 'placement.conf').write_text('[api]\nauth_strategy = noauth2\n')
    monkeypatch.setenv('OS_PLACEMENT_CONFIG_DIR', str(tmp_path))
    assert conf_mod.config_files() == [str(tmp_path / 'placement.conf')]
    assert conf_mod.load().api.auth_strategy == 'noauth2'


def test_generator_entry_points_are_registered():
    from importlib import metadata
    opts = {ep.name: ep for ep in metadata.entry_points(
        group='oslo.config.opts')}
    policies = {ep.name: ep for ep in metadata.entry_points(
        group='oslo.policy.policies')}
    groups = dict(opts['placement'].load()())
    assert {'api', 'placement', 'placement_database',
            'workarounds'} <= set(groups)
    names = {rule.name for rule in policies['placement'].load()()}
    assert 'placement:allocation_candidates:list' in names
