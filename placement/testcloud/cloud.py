"""A test cloud: a working directory with the scenario templates and the
live SQLite database, the served scenario, the faults, the ceiling, and
the WSGI application that serves them.

``prepare()`` (once, before serving) builds every template;
``wsgi_app()`` builds the application (in each server process); the
control route calls ``reset()``.
"""
import functools
import os
import threading
import time

from placement import app as placement_app
from placement import microversion, operations
from placement.db import engine as db_engine
from placement.testcloud import control, faults as faults_mod
from placement.testcloud import scenario as scenario_mod
from placement.testcloud import templates as templates_mod


def upstream_routes(routes):
    """``routes`` without our extensions (paths upstream answers 404)."""
    kept = []
    for path, resource in routes:
        ops = operations.of_resource(resource).values()
        if ops and all(op.extension for op in ops):
            continue
        kept.append((path, resource))
    return kept


class Cloud:
    def __init__(self, workdir, scenario='mixed', max_version=None,
                 release=None, extra=None):
        """``scenario``: a built-in name or a file path; ``extra``: more
        {name: path} the control route may switch to. ``max_version``
        (a microversion.Version) defaults to the service's own."""
        self.workdir = workdir
        refs = {name: name for name in scenario_mod.builtin_names()}
        refs.update(extra or {})
        if scenario_mod._is_path(scenario):
            name = os.path.splitext(os.path.basename(scenario))[0]
            refs[name] = os.path.abspath(scenario)
            scenario = name
        self.templates = templates_mod.Templates(
            os.path.join(workdir, 'templates'), refs)
        self.scenario_name = scenario
        self.max_version = max_version or microversion.MAX
        self.release = release
        self.live_path = os.path.join(workdir, 'live.sqlite')
        self.faults = faults_mod.Faults()
        self._lock = threading.Lock()

    def scenario_names(self):
        return sorted(self.templates.refs)

    def scenario(self, name=None):
        return self.templates.scenario(name or self.scenario_name)

    def prepare(self, all_scenarios=True):
        """Load and check the scenarios, build their templates and the
        live database. A bad scenario file fails here, before serving."""
        names = self.scenario_names() if all_scenarios else [
            self.scenario_name]
        if self.scenario_name not in self.templates.refs:
            self.templates.scenario(self.scenario_name)  # raises clearly
        for name in names:
            self.templates.path(name)
        self.templates.restore(self.scenario_name, self.live_path)

    def reset(self, name=None):
        """Restore scenario ``name`` (default: the current one) and clear
        the faults; seconds taken."""
        started = time.perf_counter()
        with self._lock:
            name = name or self.scenario_name
            self.templates.restore(name, self.live_path)
            self.scenario_name = name
            self.faults.clear()
        return time.perf_counter() - started

    def status(self, **extra):
        return dict({
            'scenario': self.scenario_name,
            'scenarios': self.scenario_names(),
            'description': self.scenario().description,
            'min_version': str(microversion.MIN),
            'max_version': str(self.max_version),
            'release': self.release,
            'extensions': self.max_version == microversion.MAX,
            'index': self.scenario().index(),
            'faults': self.faults.state(),
        }, **extra)

    def routes(self):
        """The production routes (without our extensions below the
        service's own ceiling: no past release had them) and the
        control route."""
        routes = list(placement_app.ROUTES)
        if self.max_version < microversion.MAX:
            routes = upstream_routes(routes)
        return routes + [
            ('/_testcloud', functools.partial(control.Status, self)),
            ('/_testcloud/reset', functools.partial(control.Reset, self)),
            ('/_testcloud/faults', functools.partial(control.Faults, self)),
        ]

    def wsgi_app(self):
        conf = templates_mod.make_conf(self.live_path, synchronous=False)
        engine = db_engine.create_engine(conf.placement_database)
        return placement_app.build_app(
            conf, engine, max_version=self.max_version, routes=self.routes(),
            middleware=[faults_mod.FaultMiddleware(self.faults)])
