"""WSGI entry point: ``placement.wsgi.api:application`` (gunicorn, uwsgi,
mod_wsgi). Reads $OS_PLACEMENT_CONFIG_DIR/placement.conf, else
/etc/placement/placement.conf."""
from placement import app, conf, logs

_conf = conf.load()
logs.setup(_conf)
application = app.build_app(_conf)
