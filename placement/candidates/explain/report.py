"""The answer of GET /allocation_candidates/explain, written from a
Recorder after the search: the funnels, the steps across groups, and
what became of each provider asked about."""
import sqlalchemy as sa

from placement.candidates.explain import provider_reasons, tree_reasons
from placement.candidates.explain.facts import (UNEXPLAINED, Later, any_of,
                                                resolve)
from placement.db.tables import resource_providers as rp


class Report(provider_reasons.ProviderReasons,
             tree_reasons.TreeReasons):
    """The answer's body, from a Recorder after the search."""

    def __init__(self, conn, recorder, request, conf, maximum, named_uuids,
                 named_pids):
        self.rec = recorder
        self.world = recorder.world
        self.request = request
        self.conf = conf
        self.maximum = maximum  # what the handler gives generate
        self.named_uuids = named_uuids  # [uuid as given]
        self.named_pids = named_pids    # uuid as given → pid
        self.examples = recorder.examples
        self.nested = max(1, recorder.examples)
        self.conn = conn
        self.names = {}
        self._wanted = set()

    # -- the body ------------------------------------------------------------

    def body(self):
        rec, world = self.rec, self.world
        accepted = rec.accepted  # the handler's candidates, before its limit
        limit = self.request.limit
        final = min(len(accepted), limit) if limit else len(accepted)
        random = bool(self.conf.randomize_allocation_candidates and limit
                      and final < len(accepted))
        # With a limit taken at random, the trees it picks among.
        kept = accepted if random else accepted[:final]
        trees = {}
        for root, _, _ in kept:
            uuid = world.providers[root].uuid
            trees[uuid] = trees.get(uuid, 0) + 1
        body = {
            'candidates': final,
            'groups': [self._group(g) for g in self.request.groups],
            'sharing': self._sharing(),
            'steps': self._tree_steps(final, random),
            'trees': trees,
            'providers': [self._named(u, len(kept))
                          for u in self.named_uuids],
        }
        self._fetch_names()
        return resolve(body)

    def _binding(self):
        """The setting the search stops at: 'limit' or
        'max_allocation_candidates' (None: nothing stops it)."""
        if self.maximum is None:
            return None
        limit = self.request.limit
        if limit and not self.conf.randomize_allocation_candidates and (
                self.conf.max_allocation_candidates <= 0
                or limit <= self.conf.max_allocation_candidates):
            return 'limit'
        return 'max_allocation_candidates'

    def _fetch_names(self):
        wanted = sorted(self._wanted - set(self.names))
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            self.names.update((pid, name) for pid, name in self.conn.execute(
                sa.select(rp.c.id, rp.c.name).where(rp.c.id.in_(part))))

    def _name(self, pid):
        return self.names.get(pid) or self.world.providers[pid].uuid

    def _later(self, pids, make):
        """An example written once the names are read."""
        self._wanted.update(pids)
        return Later(make)

    # -- groups --------------------------------------------------------------

    def _group(self, group):
        funnels = []
        for (suffix, name), funnel in self.rec.funnels.items():
            if suffix != group.suffix:
                continue
            entry = {}
            if name is not None:
                entry.update(resource_class=name,
                             amount=group.resources[name],
                             judged_per_tree=funnel.judged_per_tree)
            entry['steps'] = self._funnel_steps(funnel)
            funnels.append(entry)
        return {'group': group.suffix, 'resources': dict(group.resources),
                'funnels': funnels}

    def _funnel_steps(self, funnel):
        steps = [{'step': 'providers', 'description': (
            'Every resource provider.'), 'providers': len(
                self.world.providers), 'removed': 0, 'examples': []}]
        by_step = {}
        for pid, key in funnel.dropped.items():
            by_step.setdefault(key, []).append(pid)
        for key, (left, removed) in funnel.steps.items():
            step, name = key
            name = name or funnel.resource_class
            entry = {'step': step}
            if name is not None:
                entry['resource_class'] = name
            entry.update(description=self._describe(funnel.group, step, name),
                         providers=left, removed=removed)
            pids = sorted(by_step.get(key, ()))[:self.examples]
            entry['examples'] = [self._provider_later(
                pid, funnel.group, step, name) for pid in pids]
            steps.append(entry)
        return steps

    def _describe(self, group, step, name):
        if step == 'class':
            return 'Providers with inventory of %s.' % name
        if step == 'room':
            return ('Providers with room for %s %d: used + %d within '
                    'capacity ((total - reserved) * allocation_ratio), and '
                    '%d within min_unit, max_unit and step_size.' % (
                        name, group.resources[name],
                        group.resources[name], group.resources[name]))
        if step == 'required':
            return 'Providers with the required traits: %s.' % any_of(
                group.required)
        if step == 'forbidden':
            return 'Providers without the forbidden traits: %s.' % ', '.join(
                sorted(group.forbidden))
        if step == 'member_of':
            return ('Providers in the aggregates of member_of (for the '
                    "unsuffixed group, their own or their root's): %s."
                    % any_of(group.member_of))
        if step == 'forbidden_aggregates':
            return ('Providers in none of the forbidden aggregates (for the '
                    "unsuffixed group, nor their root): %s." % ', '.join(
                        sorted(group.forbidden_aggs)))
        if step == 'in_tree':
            return 'Providers in the tree of %s.' % group.in_tree
        if step == 'no_positive_filter':
            return ('A group without resources needs required traits or '
                    'member_of to match any provider.')
        return 'Providers the search left out for no reason known here.'

    # -- sharing -------------------------------------------------------------

    def _sharing(self):
        world = self.world
        served = set()
        for roots in world.anchors.values():
            served |= roots
        shown = []
        for pid in sorted(world.sharing)[:self.examples]:
            if pid not in world.providers:
                continue
            shown.append(self._later([pid], lambda pid=pid: {
                'name': self._name(pid), 'uuid': world.providers[pid].uuid,
                'trees': len(world.anchors.get(pid, ()))}))
        return {'providers': len(world.sharing), 'trees': len(served),
                'examples': shown}

    # -- across groups -------------------------------------------------------

    def _tree_steps(self, final, random):
        rec = self.rec
        trees = len(rec.searched)
        steps = [{'step': 'trees', 'description': (
            'Every tree (a root provider and its descendants), each with '
            'the sharing providers that serve it.'), 'trees': trees,
            'candidates': None, 'removed': 0, 'examples': []}]
        by_step = {}
        for root, (step, about) in rec.dropped.items():
            by_step.setdefault(step, []).append(root)
        order = []
        if self.request.root_required or self.request.root_forbidden:
            order.append('root_traits')
        order.append('every_group_placed')
        order += rec.rules
        if by_step.get(UNEXPLAINED):
            order.append(UNEXPLAINED)
        for step in order:
            removed = sorted(by_step.get(step, ()))
            trees -= len(removed)
            steps.append({
                'step': step, 'description': self._tree_description(step),
                'trees': trees, 'candidates': None, 'removed': len(removed),
                'examples': [self._tree_later(root)
                             for root in removed[:self.examples]]})
        exact = rec.exact
        found = sum(rec.found.values()) if exact else None
        steps[-1]['candidates'] = found
        accepted = rec.accepted
        # Trees all of whose candidates duplicate earlier ones.
        lost = sorted([root for root, count in rec.found.items()
                       if rec.duplicates.get(root, 0) == count] +
                      [root for root, kind in rec.unreached.items()
                       if kind == 'duplicates'])
        if lost or rec.duplicates:
            trees -= len(lost)
            steps.append({
                'step': 'duplicates', 'description': (
                    'Candidates made of sharing providers alone are found '
                    'from every tree they serve: only the first is kept.'),
                'trees': trees,
                'candidates': len(accepted) if exact else None,
                'removed': found - len(accepted) if exact else None,
                'examples': [self._duplicate_later(root)
                             for root in lost[:self.examples]]})
        before = len(accepted) if exact else None
        binding = self._binding()
        conf = self.conf
        if conf.max_allocation_candidates >= 0:
            steps.append(self._cut_step(
                'max_allocation_candidates', binding, trees, before,
                '[placement] max_allocation_candidates = %d: the search '
                'stops at that many candidates (%s)%s.' % (
                    conf.max_allocation_candidates,
                    conf.allocation_candidates_generation_strategy,
                    '' if binding == 'max_allocation_candidates' else
                    ', not reached first')))
            trees, before = steps[-1]['trees'], steps[-1]['candidates']
        limit = self.request.limit
        if limit and random:
            steps.append({
                'step': 'limit', 'description': (
                    'limit=%d: with randomize_allocation_candidates the '
                    'candidates are shuffled and the first %d taken, so '
                    'which trees keep theirs differs from one request to '
                    'the next.' % (limit, limit)),
                'trees': None, 'candidates': final,
                'removed': len(accepted) - final, 'examples': []})
        elif limit:
            steps.append(self._cut_step(
                'limit', binding, trees, before,
                'limit=%d: the search stops at that many candidates (%s).'
                % (limit, conf.allocation_candidates_generation_strategy)))
        return steps

    def _cut_step(self, step, binding, trees, before, description):
        """max_allocation_candidates or the limit: where the search
        stopped, if it is ``binding``; else nothing removed."""
        rec = self.rec
        accepted = rec.accepted
        if step != binding:
            return {'step': step, 'description': description,
                    'trees': trees, 'candidates': before, 'removed': 0,
                    'examples': []}
        left = {root for root, _, _ in accepted}
        had = {}
        for root, _, _ in accepted:
            had[root] = had.get(root, 0) + 1
        lost = sorted(set(rec.found) | rec.partial | {
            root for root, kind in rec.unreached.items() if kind == 'cut'})
        lost = [root for root in lost if root not in left and (
            root not in rec.found or rec.duplicates.get(root, 0)
            < rec.found[root])]
        examples = [self._cut_later(root, step, len(accepted))
                    for root in lost[:self.examples]]
        return {'step': step, 'description': description,
                'trees': len(left), 'candidates': len(accepted),
                'removed': None if before is None else before - len(accepted),
                'examples': examples}

    def _cut_later(self, root, step, count):
        world, rec = self.world, self.rec

        def make():
            example = {'name': self._name(root),
                       'uuid': world.providers[root].uuid, 'reason': None}
            if root in rec.found:
                found = rec.found[root] - rec.duplicates.get(root, 0)
                example['candidates'] = found
                words = 'its %d candidate%s come%s after the first %d' % (
                    found, 's' if found > 1 else '',
                    '' if found > 1 else 's', count)
            else:
                words = ('it has candidates, but the search stopped at %d '
                         'before reaching it' % count)
            example['reason'] = '%s: %s (%s)' % (self._name(root), words,
                                                 step)
            return example
        return self._later([root], make)

    def _tree_description(self, step):
        return {
            'root_traits': (
                'Trees whose root provider has the root_required traits and '
                'none of the forbidden ones.'),
            'every_group_placed': (
                'Trees where every request group finds a provider (its own '
                'or a sharing one) and the unsuffixed group a choice of '
                'providers with its traits.'),
            'isolate': (
                'group_policy=isolate: trees with a choice putting no two '
                'suffixed groups on one provider.'),
            'summed_capacity': (
                'Trees with a choice whose amounts, summed where several '
                'groups take a class from one provider, fit (max_unit and '
                'capacity).'),
            'same_subtree': (
                'Trees with a choice putting the groups of each '
                'same_subtree set under one of their providers.'),
            'one_provider_per_tree': (
                'Before microversion 1.29, once any provider has a parent: '
                'trees with a choice using one provider of a tree.'),
            UNEXPLAINED: 'Trees the search left out for no reason known '
                         'here.',
        }[step]

    # -- provider= -----------------------------------------------------------

    def _named(self, uuid, final):
        """What became of the provider ``uuid`` names; ``final``: how
        many of the handler's candidates are answered (with a limit
        picking at random, those it picks among)."""
        pid = self.named_pids.get(uuid)
        world = self.world
        if pid is None or pid not in world.providers:
            return {'uuid': uuid, 'name': None, 'root_provider_uuid': None,
                    'outcome': 'unknown', 'candidates': 0, 'step': None,
                    'reason': 'no resource provider has this uuid',
                    'detail': None, 'groups': []}
        rec = self.rec
        provider = world.providers[pid]
        accepted = sum(1 for _, _, in_it in rec.accepted if pid in in_it)
        answered = sum(1 for _, _, in_it in rec.accepted[:final]
                       if pid in in_it)
        entry = {'uuid': provider.uuid, 'name': None,
                 'root_provider_uuid': world.providers[provider.root_id].uuid,
                 'outcome': None, 'candidates': answered, 'step': None,
                 'reason': None, 'detail': None}
        groups, first = [], None
        for (suffix, name), funnel in rec.funnels.items():
            key = funnel.dropped.get(pid)
            outcome = {'group': suffix, 'kept': key is None}
            if name is not None:
                outcome['resource_class'] = name
            if key is not None:
                outcome['step'] = key[0]
                later = self._provider_later(pid, funnel.group, key[0],
                                             key[1] or name)
                outcome['reason'] = Later(lambda later=later: later.make()[
                    'reason'])
                if first is None:
                    first = (key[0], later)
            groups.append(outcome)
        entry['groups'] = groups
        served = [g for g in groups if g['kept']]
        found = rec.named_found.get(pid, 0)
        own = rec.dropped.get(provider.root_id)
        step, detail = None, None
        if answered:
            outcome = 'candidate'
        else:
            outcome = 'removed'
            if not served and first is not None:
                step, detail = first
            elif own is not None and not found:
                step = own[0]
                detail = self._tree_later(provider.root_id)
            elif not found and rec.exact:
                step = 'unused'
                detail = self._later([pid], lambda: {
                    'name': self._name(pid), 'uuid': provider.uuid,
                    'reason': '%s: it may serve %s, yet no candidate uses '
                              "it: every choice with it breaks the "
                              "unsuffixed group's traits or a combination "
                              'rule' % (self._name(pid), ', '.join(
                                  ('resources%s' % g['group'])
                                  + (' (%s)' % g['resource_class']
                                     if 'resource_class' in g else '')
                                  for g in served))})
            elif found and not accepted:
                step = 'duplicates'
                detail = self._later([pid], lambda: {
                    'name': self._name(pid), 'uuid': provider.uuid,
                    'candidates': found,
                    'reason': '%s: its %d candidate%s found already from '
                              'another tree' % (
                                  self._name(pid), found,
                                  's were all' if found > 1 else ' was')})
            else:
                step = self._binding() or UNEXPLAINED
                count = len(rec.accepted) if step != 'limit' else final

                def make():
                    if accepted:
                        words = ('its %d candidate%s after the first %d' % (
                            accepted, 's come' if accepted > 1 else
                            ' comes', count))
                    else:
                        words = ('the search stopped at %d candidates '
                                 'before any using it' % count)
                    return {'name': self._name(pid), 'uuid': provider.uuid,
                            'reason': '%s: %s (%s)' % (self._name(pid),
                                                       words, step)}
                detail = self._later([pid], make)
        self._wanted.add(pid)
        entry.update(outcome=outcome, step=step, detail=detail,
                     name=Later(lambda: self._name(pid)))
        entry['reason'] = None if detail is None else Later(
            lambda: resolve(detail)['reason'])
        return entry
