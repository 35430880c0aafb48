"""Scenario files: read, validate, and flatten into what a cloud holds.

A scenario names everything (providers, consumers, aggregates) by a
readable name; uuids are derived from the names (uuid5) unless given, so
a scenario means the same uuids wherever it is loaded, and tests may
hard-code them.
"""
import dataclasses
import difflib
import importlib.resources
import os
import uuid as uuidlib

import jsonschema
import os_resource_classes
import os_traits
import yaml

from placement.inventories import DEFAULTS as INVENTORY_DEFAULTS
from placement.testcloud import scenario_schema

NAMESPACE = uuidlib.UUID('5b0c3a52-6f52-4f3c-9d0b-2a8d3c7e1f10')
DEFAULT_PROJECT = 'testcloud-project'
DEFAULT_USER = 'testcloud-user'
_VALIDATOR = jsonschema.Draft202012Validator(scenario_schema.SCENARIO)


class ScenarioError(ValueError):
    """A scenario that cannot be loaded; the message says where and why."""


@dataclasses.dataclass
class Provider:
    name: str
    uuid: str
    parent: str = None            # the parent's uuid
    inventories: dict = dataclasses.field(default_factory=dict)
    traits: list = dataclasses.field(default_factory=list)
    aggregates: list = dataclasses.field(default_factory=list)  # uuids


@dataclasses.dataclass
class Consumer:
    name: str
    uuid: str
    project: str
    user: str
    consumer_type: str = None
    allocations: dict = dataclasses.field(default_factory=dict)  # by uuid


@dataclasses.dataclass
class Scenario:
    name: str
    description: str = ''
    resource_classes: list = dataclasses.field(default_factory=list)
    traits: list = dataclasses.field(default_factory=list)
    aggregates: dict = dataclasses.field(default_factory=dict)  # name: uuid
    providers: list = dataclasses.field(default_factory=list)
    consumers: list = dataclasses.field(default_factory=list)

    def index(self):
        """{kind: {name: uuid}}: what a test needs to find things by."""
        return {'providers': {p.name: p.uuid for p in self.providers},
                'consumers': {c.name: c.uuid for c in self.consumers},
                'aggregates': dict(self.aggregates)}

    def needs(self):
        """The lowest microversion that can express this scenario over
        the API (a tree needs 1.14, traits 1.6, ...)."""
        wanted = (1, 0)
        if self.aggregates:
            wanted = max(wanted, (1, 1))
        if self.resource_classes:
            wanted = max(wanted, (1, 2))
        if self.traits or any(p.traits for p in self.providers):
            wanted = max(wanted, (1, 6))
        if any(p.parent for p in self.providers):
            wanted = max(wanted, (1, 14))
        return wanted


def derived_uuid(kind, name):
    return str(uuidlib.uuid5(NAMESPACE, '%s:%s' % (kind, name)))


def _is_uuid(text):
    try:
        return str(uuidlib.UUID(text)) == text.lower() and len(text) == 36
    except ValueError:
        return False


def builtin_dir():
    return importlib.resources.files('placement.testcloud') / 'scenarios'


def builtin_names():
    return sorted(entry.name[:-5] for entry in builtin_dir().iterdir()
                  if entry.name.endswith('.yaml'))


def _is_path(ref):
    return ref.endswith(('.yaml', '.yml')) or os.sep in ref or '/' in ref


def _read(ref, base_dir=None):
    """(name, text, directory for its includes) of a built-in name or a
    file path."""
    if _is_path(ref):
        path = ref if base_dir is None else os.path.join(base_dir, ref)
        try:
            with open(path, encoding='utf-8') as f:
                text = f.read()
        except OSError as exc:
            raise ScenarioError('cannot read scenario file %s: %s'
                                % (path, exc.strerror))
        name = os.path.splitext(os.path.basename(path))[0]
        return name, text, os.path.dirname(os.path.abspath(path))
    entry = builtin_dir() / (ref + '.yaml')
    if not entry.is_file():
        raise ScenarioError('unknown scenario %r: built-in ones are %s, or '
                            'give a path to a .yaml file'
                            % (ref, ', '.join(builtin_names())))
    return ref, entry.read_text(encoding='utf-8'), None


def _where(error):
    parts = []
    for item in error.absolute_path:
        if isinstance(item, int):
            parts.append('[%d]' % item)
        else:
            parts.append(('.' if parts else '') + str(item))
    return ''.join(parts) or '(top level)'


def parse(text, name='scenario'):
    """The validated document of one file (includes not resolved)."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError('%s: not valid YAML: %s' % (name, exc))
    if document is None:
        document = {}
    errors = sorted(_VALIDATOR.iter_errors(document),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ScenarioError('%s is not a valid scenario:\n%s' % (name, '\n'.join(
            '  %s: %s' % (_where(e), e.message) for e in errors)))
    return document


def load(ref):
    """The Scenario named ``ref``: a built-in name or a path to a file."""
    scenario = Scenario(name=_read(ref)[0])
    _merge(scenario, ref, None, set(), {})
    _check(scenario)
    return scenario


def _merge(scenario, ref, base_dir, seen, providers_by_name):
    name, text, own_dir = _read(ref, base_dir)
    if (own_dir, name) in seen:
        raise ScenarioError('%s is included twice (or includes itself)'
                            % ref)
    seen.add((own_dir, name))
    document = parse(text, ref)
    for included in document.get('include', []):
        _merge(scenario, included, own_dir, seen, providers_by_name)
    if scenario.name == name:
        scenario.description = document.get('description', '').strip()
    for rc in document.get('resource_classes', []):
        _append_new(scenario.resource_classes, rc)
    for trait in document.get('traits', []):
        _append_new(scenario.traits, trait)
    for spec in document.get('providers', []):
        _add_provider(scenario, spec, None, providers_by_name, ref)
    for spec in document.get('consumers', []):
        _add_consumer(scenario, spec, providers_by_name, ref)


def _append_new(items, item):
    if item not in items:
        items.append(item)


def _aggregate_uuid(scenario, name):
    if name not in scenario.aggregates:
        scenario.aggregates[name] = (name.lower() if _is_uuid(name)
                                     else derived_uuid('aggregate', name))
    return scenario.aggregates[name]


def _add_provider(scenario, spec, parent, by_name, source):
    name = spec['name']
    if name in by_name:
        raise ScenarioError('%s: provider name %r is used twice'
                            % (source, name))
    inventories = {}
    for rc, value in spec.get('inventories', {}).items():
        record = {'total': value} if isinstance(value, int) else dict(value)
        inventories[rc] = record
        if rc.startswith('CUSTOM_'):
            _append_new(scenario.resource_classes, rc)
    for trait in spec.get('traits', []):
        if trait.startswith('CUSTOM_'):
            _append_new(scenario.traits, trait)
    provider = Provider(
        name=name, uuid=spec.get('uuid', derived_uuid('provider', name)).lower(),
        parent=parent.uuid if parent else None, inventories=inventories,
        traits=list(spec.get('traits', [])),
        aggregates=[_aggregate_uuid(scenario, agg)
                    for agg in spec.get('aggregates', [])])
    if any(p.uuid == provider.uuid for p in scenario.providers):
        raise ScenarioError('%s: provider uuid %s is used twice'
                            % (source, provider.uuid))
    by_name[name] = provider
    scenario.providers.append(provider)
    for child in spec.get('children', []):
        _add_provider(scenario, child, provider, by_name, source)


def _add_consumer(scenario, spec, by_name, source):
    name = spec['name']
    if any(c.name == name for c in scenario.consumers):
        raise ScenarioError('%s: consumer name %r is used twice'
                            % (source, name))
    allocations = {}
    for provider_name, resources in spec['allocations'].items():
        if provider_name not in by_name:
            raise ScenarioError(
                '%s: consumer %s allocates from unknown provider %r%s'
                % (source, name, provider_name,
                   _suggest(provider_name, by_name)))
        allocations[by_name[provider_name].uuid] = dict(resources)
    consumer = Consumer(
        name=name, uuid=spec.get('uuid', derived_uuid('consumer', name)).lower(),
        project=spec.get('project', DEFAULT_PROJECT),
        user=spec.get('user', DEFAULT_USER),
        consumer_type=spec.get('consumer_type'), allocations=allocations)
    if any(c.uuid == consumer.uuid for c in scenario.consumers):
        raise ScenarioError('%s: consumer uuid %s is used twice'
                            % (source, consumer.uuid))
    scenario.consumers.append(consumer)


def _suggest(word, choices):
    close = difflib.get_close_matches(word, list(choices), n=1)
    return ' (did you mean %s?)' % close[0] if close else ''


def _check(scenario):
    """What the schema cannot say: standard names exist, allocations fit."""
    standard_traits = set(os_traits.get_traits())
    standard_classes = set(os_resource_classes.STANDARDS)
    by_uuid = {p.uuid: p for p in scenario.providers}
    for provider in scenario.providers:
        for trait in provider.traits:
            if not trait.startswith('CUSTOM_') and trait not in standard_traits:
                raise ScenarioError(
                    'provider %s: %s is not a standard trait (os-traits)%s; '
                    'custom traits start with CUSTOM_'
                    % (provider.name, trait, _suggest(trait, standard_traits)))
        for rc in provider.inventories:
            if not rc.startswith('CUSTOM_') and rc not in standard_classes:
                raise ScenarioError(
                    'provider %s: %s is not a standard resource class '
                    '(os-resource-classes)%s; custom classes start with '
                    'CUSTOM_' % (provider.name, rc,
                                 _suggest(rc, standard_classes)))
        for rc, record in provider.inventories.items():
            record = dict(INVENTORY_DEFAULTS, **record)
            if record['reserved'] > record['total'] or (
                    record['min_unit'] > record['max_unit']):
                raise ScenarioError(
                    'provider %s: %s inventory needs reserved <= total and '
                    'min_unit <= max_unit' % (provider.name, rc))
    used = {}
    for consumer in scenario.consumers:
        for rp_uuid, resources in consumer.allocations.items():
            provider = by_uuid[rp_uuid]
            for rc, amount in resources.items():
                if rc not in provider.inventories:
                    raise ScenarioError(
                        'consumer %s: provider %s has no %s inventory'
                        % (consumer.name, provider.name, rc))
                record = dict(INVENTORY_DEFAULTS, **provider.inventories[rc])
                if not (record['min_unit'] <= amount <= record['max_unit']
                        and amount % record['step_size'] == 0):
                    raise ScenarioError(
                        'consumer %s: %d %s from %s is outside min_unit '
                        '%d, max_unit %d or step_size %d'
                        % (consumer.name, amount, rc, provider.name,
                           record['min_unit'], record['max_unit'],
                           record['step_size']))
                key = (provider.name, rc)
                used[key] = used.get(key, 0) + amount
                capacity = int((record['total'] - record['reserved'])
                               * record['allocation_ratio'])
                if used[key] > capacity:
                    raise ScenarioError(
                        'allocations of %s on %s exceed its capacity %d '
                        '(at consumer %s)' % (rc, provider.name, capacity,
                                              consumer.name))
