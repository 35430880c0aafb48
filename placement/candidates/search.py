"""The candidate search's view of the database: a ``LazyWorld`` gives out
the roots of the trees worth searching, in id order, and fills the
``World`` (world.py) with each slice of trees just before its roots are
given out. Which roots: roots.py (one set-based query, or pages in id
order when a limit bounds the answer); what a slice holds: trees.py (a
fixed number of queries however many trees). Nothing here loops over
providers issuing queries.
"""
import bisect

from placement.candidates import roots as root_sql, trees as tree_sql
from placement.candidates.world import World
from placement.db import id_list
from placement.db.tables import resource_providers as rp


# With a limit, slices grow from FIRST_LOAD trees (or the limit, if
# smaller) up to TREES_PER_LOAD, so a small limit reads few trees. Without
# one every tree is in the answer, and all are loaded at once: the number
# of queries stays the same however many trees there are. (Tests set
# WHOLE_LOAD to slice unlimited requests too.)
TREES_PER_LOAD = 2000
FIRST_LOAD = 100
WHOLE_LOAD = None


class LazyWorld:
    """The World, filled a slice of trees at a time.

    ``roots()`` yields the trees worth searching in id order, loading
    each slice of them (with the sharing providers anchored to them) just
    before it is needed, so that a request stopped by its limit has only
    read the trees it used: memory and time follow the answer, not the
    whole cloud.
    """

    def __init__(self, conn, request, class_ids, trait_ids, class_names,
                 maximum=None, every_tree=False):
        """``maximum``: the most candidates that will be taken (None: all).
        With a maximum, roots are read page by page in id order; without,
        all at once by a set-based query. ``every_tree`` (explain, which
        says why each tree is left out): every tree, not only those the
        SQL finds worth searching."""
        self.conn = conn
        self.request = request
        self.world = World()
        self.listeners = []  # called with (pids, holders) after each load
        self.class_names = class_names  # id → name, of every class
        self.first_load = max(1, min(maximum or FIRST_LOAD, FIRST_LOAD))
        self.limited = maximum is not None
        wanted = {(name, amount) for group in request.groups
                  for name, amount in group.resources.items()}
        self.requested = {name for name, _ in wanted}
        self.mentioned = frozenset(request.trait_names())
        self.traits_in_column = tree_sql.traits_in_column(conn)
        self._find_sharing()
        self.sharing_roots = {}  # anchor root → roots of its sharers
        # With a maximum, read the roots page by page in id order (the
        # tests judged provider by provider, so a page stops early).
        paged = self.limited
        self._listed, self._page_query = None, None
        if every_tree:
            self._listed = sorted(conn.execute(root_sql.ALL_ROOTS).scalars())
            for sharing, anchored in self.world.anchors.items():
                own = self.world.sharing_root[sharing]
                for root in anchored:
                    self.sharing_roots.setdefault(root, set()).add(own)
        elif self.world.sharing:
            # Trees anchored to sharing providers count even without room
            # of their own: all the roots are listed up front.
            roots = root_sql.roots_with_room(conn, class_ids, wanted)
            for anchored in self.world.anchors.values():
                roots |= anchored
            for sharing, anchored in self.world.anchors.items():
                own = self.world.sharing_root[sharing]
                for root in anchored:
                    self.sharing_roots.setdefault(root, set()).add(own)
            self._listed = sorted(roots)
        elif (root_sql.has_label_filters(request)
                and not root_sql.has_nested_providers(conn)):
            # Every tree is one provider: it alone must meet every group,
            # and the trait and aggregate filters can be done in SQL.
            tests = root_sql.single_provider_tests(conn, request, class_ids,
                                                   trait_ids)
            query = root_sql.single_providers_query(
                tests, paged, conn.dialect.name in root_sql.ROOM_IN_ONE_PASS)
            if paged:
                self._page_query = (query, rp.c.id)
            else:
                self._listed = sorted(conn.execute(query).scalars())
        elif paged:
            self._page_query = (root_sql.roots_with_room_page(tuple(sorted(
                (class_ids[name], amount) for name, amount in wanted))),
                rp.c.root_provider_id)
        else:
            self._listed = sorted(root_sql.roots_with_room(conn, class_ids,
                                                           wanted))

    def _next_roots(self, after, count):
        """The next ``count`` roots worth searching after root id ``after``
        (read page by page, so a limit stops the reading early)."""
        if self._listed is not None:
            start = bisect.bisect_right(self._listed, after)
            return self._listed[start:start + count]
        query, column = self._page_query
        return self.conn.execute(
            query.where(column > after).limit(count)).scalars().all()

    def _find_sharing(self):
        """Every sharing provider: one with room can serve resources, any
        can serve a resourceless group of the trees it is anchored to."""
        world, conn = self.world, self.conn
        for pid, root in conn.execute(root_sql.SHARING_PROVIDERS):
            world.sharing.add(pid)
            world.sharing_root[pid] = root
        if world.sharing:
            anchors = root_sql.sharing_anchors(conn, world.sharing)
            for sharing_id, root_id in anchors:
                world.anchors.setdefault(sharing_id, set()).add(root_id)
                world.sharers_of.setdefault(root_id, set()).add(sharing_id)

    def roots(self):
        """The roots in id order, each slice of trees loaded just before
        its roots are given out."""
        if self.limited:
            after, per_load = -1, min(self.first_load, TREES_PER_LOAD)
            most = TREES_PER_LOAD
        else:
            after = -1
            per_load = most = WHOLE_LOAD or max(1, len(self._listed))
        while True:
            part = self._next_roots(after, per_load)
            if not part:
                return
            after = part[-1]
            needed = set(part)
            for root in part:
                needed |= self.sharing_roots.get(root, set())
            self._load(needed - set(self.world.tree_members))
            yield from part
            if len(part) < per_load:
                return
            per_load = min(per_load * 2, most)

    def _load(self, roots):
        if not roots:
            return
        world = self.world
        param = {'roots': id_list.encode(roots)}
        new = tree_sql.load_trees(self.conn, world, param, self.mentioned,
                                  self.traits_in_column)
        # All inventory of every loaded provider: the search reads the
        # requested classes, the provider summaries read them all.
        holders = {}  # requested class → pids of the slice having some
        inventory, shown = tree_sql.inventory_of(
            self.conn, new, param, self.class_names, self.requested)
        world.all_inventory.update(shown)
        for pid, classes in inventory.items():
            for name, row in classes.items():
                world.inventory[(pid, name)] = row
                holders.setdefault(name, []).append(pid)
        tree_sql.load_labels(self.conn, world, self.request, param,
                             self.mentioned, self.traits_in_column)
        for listener in self.listeners:
            listener(new, holders)
