"""GET /allocation_candidates (1.10)."""
import random

from placement import (errors, gc_pause, metrics, providers,
                       resource_classes, traits)
from placement.candidates import (combine, flat, render,
                                  request as ac_request, roots as root_sql,
                                  search)
from placement.handlers import util
from placement.operations import operation
from placement.policies import allocation_candidate as policies
from placement.schemas import allocation_candidate as schema


def in_tree_roots(conn, request):
    roots = {}
    for group in request.groups:
        if group.in_tree:
            row = providers.get(conn, group.in_tree)
            # An unknown tree matches nothing.
            roots[group.suffix] = row.root_provider_id if row else -1
    return roots


def search_maximum(conf, request):
    """The most candidates the search is asked for (None: all):
    [placement] max_allocation_candidates, and the limit unless the
    answer is shuffled before the limit is taken."""
    maximum = None if conf.max_allocation_candidates < 0 else \
        conf.max_allocation_candidates
    if request.limit and not conf.randomize_allocation_candidates:
        maximum = min(request.limit, maximum or request.limit)
    return maximum


def one_provider_per_tree(conn, version):
    """Before 1.29, once any nested provider exists, upstream never
    combines two providers of one tree."""
    return version < (1, 29) and root_sql.has_nested_providers(conn)


def known_names(conn, request):
    """(every class name by id, the requested classes' ids by name, the
    requested traits' ids by name): 400 for an unknown class or trait."""
    class_names = resource_classes.NamesById(conn)
    requested = request.class_names()
    class_ids = resource_classes.ids_by_name(conn, requested)
    for name in sorted(requested):
        if name not in class_ids:
            raise errors.BadRequest(
                'Invalid resource class in resources parameter: No '
                'such resource class %s.' % name)
    return class_names, class_ids, traits.ids_or_400(
        conn, request.trait_names())


class Candidates:
    @operation(
        'Find every way the cloud can satisfy a request.',
        policy=policies.LIST, since=(1, 10), query=schema.query,
        responses={200: schema.candidates},
        errors={400: [errors.ILLEGAL_DUPLICATE_QUERYPARAM,
                      errors.QUERYPARAM_BAD_VALUE,
                      errors.QUERYPARAM_MISSING_VALUE]},
        name='list')
    def on_get(self, req, resp):
        version = req.context.version
        util.authorize(req, policies.LIST)
        with gc_pause.paused():
            self._answer(req, resp, version)

    def _answer(self, req, resp, version):
        request = ac_request.parse(req)
        conf = req.context.conf.placement
        maximum = search_maximum(conf, request)

        with req.context.db.replica_reader() as conn:
            # Every class, once: the requested ones by name, and the names
            # of all for the provider summaries.
            class_names, class_ids, trait_ids = known_names(conn, request)
            roots = in_tree_roots(conn, request)
            if flat.applies(conn, request, version, roots):
                body, count = flat.answer(
                    conn, request, version, class_ids, trait_ids,
                    class_names, maximum,
                    conf.randomize_allocation_candidates)
                metrics.candidates_returned(count)
                util.send_json_text(req, resp, body)
                return
            lazy = search.LazyWorld(conn, request, class_ids, trait_ids,
                                    class_names, maximum)
            world = lazy.world
            found = list(combine.generate(
                lazy, request, roots,
                conf.allocation_candidates_generation_strategy, maximum,
                one_provider_per_tree=one_provider_per_tree(conn, version)))
            if conf.randomize_allocation_candidates:
                random.shuffle(found)
            if request.limit:
                found = found[:request.limit]
            metrics.candidates_returned(len(found))
            in_summary = set()
            for candidate in found:
                in_summary.update(candidate.allocations)
            if version >= (1, 29):
                for pid in list(in_summary):
                    in_summary.update(world.tree_members[
                        world.providers[pid].root_id])

        uuids = {pid: provider.uuid
                 for pid, provider in world.providers.items()}
        summaries = render.SummariesWriter(version, world,
                                           request.class_names())
        util.send_json_text(req, resp, '{"allocation_requests":%s,'
                            '"provider_summaries":%s}' % (
                                render.RequestsWriter(version, uuids).write(
                                    found),
                                summaries.write(sorted(in_summary))))
