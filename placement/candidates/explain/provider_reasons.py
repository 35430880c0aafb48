"""Why a provider left a request group's funnel: the reasons of the
steps within one group (class, room, traits, aggregates, tree)."""
from placement.candidates.explain.facts import any_of, label, room_facts


class ProviderReasons:
    """Report's reasons for providers (a mixin: needs the Report's
    world, names and _later)."""

    def _provider_later(self, pid, group, step, name, anchor=None):
        return self._later([pid], lambda: self._provider_example(
            pid, group, step, name, anchor))

    def _provider_example(self, pid, group, step, name, anchor=None):
        """A provider removed from ``group`` (its class ``name``) at
        ``step``; ``anchor``: the tree a sharing provider was judged
        for."""
        who = self._name(pid)
        example = {'name': who, 'uuid': self.world.providers[pid].uuid,
                   'reason': None, 'group': group.suffix}
        facts = getattr(self, '_why_' + step, self._why_unexplained)
        example['reason'] = '%s: %s' % (who, facts(example, pid, group, name,
                                                   anchor))
        return example

    def _why_no_positive_filter(self, example, pid, group, name, anchor):
        return ('%s asks for no resources and names neither required '
                'traits nor member_of: it matches no provider'
                % label(group))

    def _why_unexplained(self, example, pid, group, name, anchor):
        return 'left out of %s, and no rule known here says why' % label(
            group)

    def _why_class(self, example, pid, group, name, anchor):
        example['resource_class'] = name
        return 'no %s inventory' % name

    def _why_room(self, example, pid, group, name, anchor):
        row = self.world.inventory[(pid, name)]
        return room_facts(example, row, name, group.resources[name])

    def _why_required(self, example, pid, group, name, anchor):
        traits = self.world.traits.get(pid, set())
        missing = [sorted(s) for s in group.required if not s & traits]
        example['traits_missing'] = missing
        return 'lacks %s' % any_of(missing)

    def _why_forbidden(self, example, pid, group, name, anchor):
        present = sorted(group.forbidden & self.world.traits.get(pid, set()))
        example['traits_forbidden'] = present
        return 'has the forbidden trait%s %s' % (
            's' if len(present) > 1 else '', ', '.join(present))

    def _aggregates(self, pid, group, anchor):
        """(seen for member_of, seen for forbidden ones, words)."""
        world = self.world
        own = world.aggregates.get(pid, set())
        if group.same_provider:
            return own, own, 'it is'
        root = anchor if anchor is not None else world.providers[pid].root_id
        with_root = own | world.aggregates.get(root, set())
        if world.providers[pid].root_id != root:  # sharing, for a tree
            return own, with_root, 'it (a sharing provider) is'
        return with_root, with_root, 'neither it nor its root is'

    def _why_member_of(self, example, pid, group, name, anchor):
        seen, _, words = self._aggregates(pid, group, anchor)
        missing = [sorted(s) for s in group.member_of if not s & seen]
        example['aggregates_missing'] = missing
        if words.startswith('neither'):
            return '%s in any of the aggregates %s' % (
                words, any_of(missing))
        return '%s in none of the aggregates %s' % (words, any_of(missing))

    def _why_forbidden_aggregates(self, example, pid, group, name, anchor):
        _, seen, words = self._aggregates(pid, group, anchor)
        present = sorted(group.forbidden_aggs & seen)
        example['aggregates_forbidden'] = present
        whose = {'it is': 'it', 'neither it nor its root is': (
            'it or its root'), 'it (a sharing provider) is': (
            'it (a sharing provider) or the root of the tree it would '
            'serve')}[words]
        return '%s is in the forbidden aggregate%s %s' % (
            whose, 's' if len(present) > 1 else '', ', '.join(present))

    def _why_in_tree(self, example, pid, group, name, anchor):
        world = self.world
        provider = world.providers[pid]
        example['in_tree'] = group.in_tree
        example['root_provider_uuid'] = world.providers[
            provider.root_id].uuid
        if anchor is not None and anchor != provider.root_id:
            return ('a sharing provider, left out when in_tree%s is given'
                    % group.suffix)
        return 'not in the tree of %s (in_tree%s)' % (
            group.in_tree, group.suffix)
