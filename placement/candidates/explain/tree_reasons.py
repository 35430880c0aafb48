"""Why a tree gave no candidate: the reasons of the steps across
request groups (root traits, every group placed, isolate, summed
capacity, same_subtree, one provider per tree, duplicates)."""
import types

from placement.candidates import combine, eligible
from placement.candidates.explain.facts import (UNEXPLAINED, any_of, label,
                                                room_facts)


class TreeReasons:
    """Report's reasons for trees (a mixin: needs the Report's world,
    recorder, names and _later)."""

    def _tree_later(self, root):
        step, about = self.rec.dropped[root]
        pids = [root]
        if step == 'every_group_placed' and about is not None:
            pids += about[3][:self.nested]
        elif isinstance(about, combine.Candidate):
            pids += list(about.allocations)
            for mapped in about.mappings.values():
                pids += mapped
        return self._later(pids, lambda: self._tree_example(root))

    def _tree_example(self, root):
        world = self.world
        step, about = self.rec.dropped[root]
        who = self._name(root)
        example = {'name': who, 'uuid': world.providers[root].uuid,
                   'reason': None}
        text = getattr(self, '_tree_' + step)(example, root, about)
        example['reason'] = '%s: %s' % (who, text)
        return example

    def _tree_root_traits(self, example, root, about):
        traits = self.world.traits.get(root, set())
        missing = [sorted(s) for s in self.request.root_required
                   if not s & traits]
        present = sorted(self.request.root_forbidden & traits)
        parts = []
        if missing:
            example['traits_missing'] = missing
            parts.append('the root lacks %s' % any_of(missing))
        if present:
            example['traits_forbidden'] = present
            parts.append('the root has the forbidden %s' % ', '.join(present))
        return '; '.join(parts) + ' (root_required)'

    def _tree_every_group_placed(self, example, root, about):
        if about is None:
            return 'no group is without a provider here, yet none is placed'
        group, name, kind, pids = about
        example['group'] = group.suffix
        if kind == 'traits':
            traits = set().union(*[self.world.traits.get(p, set())
                                   for p in pids])
            missing = [sorted(s) for s in group.required if not s & traits]
            present = sorted(group.forbidden & traits)
            if missing:
                example['traits_missing'] = missing
            if present:
                example['traits_forbidden'] = present
            chosen = sorted(group.resources)
            example['providers'] = [
                {'name': self._name(p), 'uuid': self.world.providers[p].uuid,
                 'resource_class': c, 'reason': '%s: gives %s %d' % (
                     self._name(p), c, group.resources[c])}
                for p, c in zip(pids, chosen)]
            what = []
            if missing:
                what.append('lack %s' % any_of(missing))
            if present:
                what.append('have the forbidden %s' % ', '.join(present))
            return ('no choice of providers for %s has its traits: e.g. %s '
                    'together %s' % (label(group), ', '.join(
                        '%s (%s)' % (self._name(p), c)
                        for p, c in zip(pids, chosen)), ' and '.join(what)))
        if name is not None:
            example['resource_class'] = name
        shown = []
        for pid in pids[:self.nested]:
            shown.append(self._tree_provider(pid, group, name, root))
        example['providers'] = shown
        what = label(group) if name is None else "%s' %s:%d" % (
            label(group), name, group.resources[name])
        more = len(pids) - len(shown)
        return 'no provider in the tree, nor a sharing provider serving it, ' \
            'can give %s: %s%s' % (what, '; '.join(
                e['reason'] for e in shown),
                '; and %d more' % more if more else '')

    def _tree_provider(self, pid, group, name, root):
        """Why ``pid`` cannot give ``group`` (its class ``name``) to the
        tree of ``root``."""
        funnel = self.rec.funnels[(group.suffix, name)]
        key = funnel.dropped.get(pid)
        if key is not None:
            return self._provider_example(pid, group, key[0],
                                          key[1] or name, root)
        if not group.same_provider and pid in self.world.sharing:
            # Kept by the funnel, its aggregates judged for each tree.
            failure = eligible.spread_labels_failure(
                self.world, self.rec.in_tree_roots, group, pid, root)
            if failure is not None:
                return self._provider_example(pid, group, failure, name,
                                              root)
        return self._provider_example(pid, group, UNEXPLAINED, name, root)

    def _tree_isolate(self, example, root, candidate):
        on = {}
        for group in self.request.groups:
            if group.same_provider:
                for pid in candidate.mappings.get(group.suffix, ()):
                    on.setdefault(pid, []).append(group.suffix)
        pid, suffixes = next((p, s) for p, s in sorted(on.items())
                             if len(s) > 1)
        example['groups'] = suffixes
        labels = ', '.join('resources%s' % s for s in suffixes)
        example['providers'] = [self._serving(pid, labels)]
        return ('every choice puts two suffixed groups on one provider '
                '(group_policy=isolate): e.g. %s all on %s'
                % (labels, self._name(pid)))

    def _serving(self, pid, what):
        return {'name': self._name(pid),
                'uuid': self.world.providers[pid].uuid,
                'reason': '%s: serves %s' % (self._name(pid), what)}

    def _tree_summed_capacity(self, example, root, candidate):
        inventory = self.world.inventory
        pid, name, total = next(
            (pid, name, total)
            for pid, resources in sorted(candidate.allocations.items())
            for name, total in sorted(resources.items())
            if not combine.sum_fits(inventory[(pid, name)], total))
        row = inventory[(pid, name)]
        inner = {'name': self._name(pid),
                 'uuid': self.world.providers[pid].uuid}
        words = room_facts(inner, row, name, total, summed=True)
        inner['reason'] = '%s: %s' % (self._name(pid), words)
        example.update({k: v for k, v in inner.items()
                        if k not in ('name', 'uuid', 'reason')})
        example['providers'] = [inner]
        return ('every choice asks too much of one inventory: e.g. %s '
                'from several groups on %s: %s' % (
                    name, self._name(pid), words))

    def _tree_same_subtree(self, example, root, candidate):
        tree = combine.TreeSearch(self.world, self.request, root, None, {})
        for suffixes in self.request.same_subtree:
            chosen = {s: types.SimpleNamespace(pids=candidate.mappings[s])
                      for s in suffixes}
            if not tree._subtrees_ok(chosen, [suffixes]):
                break
        example['groups'] = list(suffixes)
        providers = []
        for s in suffixes:
            for pid in candidate.mappings[s]:
                providers.append(self._serving(pid, 'resources%s' % s))
        example['providers'] = providers
        return ('no choice puts %s under one of their providers '
                '(same_subtree): e.g. %s' % (
                    ', '.join('resources%s' % s for s in suffixes),
                    ', '.join('resources%s on %s' % (s, ', '.join(
                        self._name(p) for p in candidate.mappings[s]))
                        for s in suffixes)))

    def _tree_one_provider_per_tree(self, example, root, candidate):
        by_root = {}
        for pid in sorted(candidate.allocations):
            by_root.setdefault(self.world.providers[pid].root_id,
                               []).append(pid)
        pids = next(p for p in by_root.values() if len(p) > 1)
        example['providers'] = [self._serving(p, 'part of the request')
                                for p in pids]
        return ('before microversion 1.29 a candidate takes one provider '
                'of a tree: every choice takes several, e.g. %s' % ', '.join(
                    self._name(p) for p in pids))

    def _tree_unexplained(self, example, root, about):
        return 'the search found no candidate here, and no rule known ' \
            'here says why'

    def _duplicate_later(self, root):
        rec, world = self.rec, self.world
        first = rec.duplicate_of.get(root)
        pids = [root] + ([first] if first is not None else [])

        def make():
            example = {'name': self._name(root),
                       'uuid': world.providers[root].uuid, 'reason': None}
            found = rec.found.get(root)
            if found:
                example['candidates'] = found
                words = 'its %d candidate%s' % (found,
                                                's' if found > 1 else '')
            else:
                words = 'its candidates'
            if first is not None:
                example['duplicate_of'] = world.providers[first].uuid
                where = self._name(first)
            else:
                where = 'an earlier tree'
            example['reason'] = '%s: %s use only sharing providers, found ' \
                'already from %s' % (self._name(root), words, where)
            return example
        return self._later(pids, make)
