"""GET /allocation_candidates/explain (our extension; upstream answers 404
on this path): why GET /allocation_candidates, with the same query at the
same microversion, gives the candidates it gives. The funnel comes from
the candidate search itself (placement/candidates/explain.py)."""
from placement import errors, gc_pause
from placement.candidates import explain, request as ac_request, search
from placement.handlers import allocation_candidate as candidates
from placement.handlers import util
from placement.operations import operation
from placement.policies import explain as policies
from placement.schemas import explain as schema


def _listed(params, name):
    value = params.get(name)
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if v is not None]


class Explain:
    @operation(
        'Explain GET /allocation_candidates for the same query at the same '
        'microversion (validated alike, with the same errors): per request '
        'group, the providers left after each of its rules (has the class, '
        'room for the amount, traits, aggregates, in_tree; class by class '
        'for the unsuffixed group); then tree by tree the trees left after '
        'root_required, every group placed, group_policy=isolate, the '
        'summed capacity and same_subtree, and the candidates left after '
        'duplicates, max_allocation_candidates and the limit; with the '
        'reason in words and numbers for up to `examples` of those removed '
        'at each step, and what became of each provider named by '
        '`provider`. `candidates` is the number GET /allocation_candidates '
        'answers. Every tree of the cloud is read.',
        policy=policies.EXPLAIN, since=(1, 10), query=schema.query,
        responses={200: schema.EXPLAIN},
        errors={400: [errors.ILLEGAL_DUPLICATE_QUERYPARAM,
                      errors.QUERYPARAM_BAD_VALUE,
                      errors.QUERYPARAM_MISSING_VALUE]},
        extension=True, name='explain')
    def on_get(self, req, resp):
        util.authorize(req, policies.EXPLAIN)
        version = req.context.version
        with gc_pause.paused():
            request = ac_request.parse(req, schema.query(version))
            named = _listed(req.params, 'provider')
            examples = _listed(req.params, 'examples')
            examples = int(examples[0]) if examples else \
                schema.DEFAULT_EXAMPLES
            conf = req.context.conf.placement
            with req.context.db.replica_reader() as conn:
                class_names, class_ids, trait_ids = candidates.known_names(
                    conn, request)
                roots = candidates.in_tree_roots(conn, request)
                lazy = search.LazyWorld(conn, request, class_ids, trait_ids,
                                        class_names, every_tree=True)
                body = explain.explain(
                    conn, lazy, request, roots, conf,
                    candidates.search_maximum(conf, request), examples,
                    candidates.one_provider_per_tree(conn, version), named)
            util.send_json(req, resp, body)
