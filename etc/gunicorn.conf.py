# gunicorn settings for Placement; override any of them on the command line.
import glob
import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get('PLACEMENT_BIND', '127.0.0.1:8778')
workers = int(os.environ.get('PLACEMENT_WORKERS',
                             min(4, multiprocessing.cpu_count() * 2)))
worker_class = 'sync'
timeout = 120
# SIGTERM (and the old workers of a SIGHUP reload) stop accepting and let
# the requests in flight finish for up to this many seconds.
graceful_timeout = int(os.environ.get('PLACEMENT_GRACEFUL_TIMEOUT', 30))
accesslog = None  # placement logs each request itself
# Long candidate queries (member_of=in: with a hundred aggregates is ~4 KB)
# must reach the application: Apache's limit, not gunicorn's 4094.
limit_request_line = 8190

# Prometheus metrics from every worker (GET /metrics): prometheus_client's
# multiprocess mode, where each worker writes its values to files in
# PROMETHEUS_MULTIPROC_DIR and a scrape sums them. Set it to a directory
# of your own, or one is made here (and removed at exit). This runs again
# on SIGHUP: the directory already set is kept, and with it the counts.
if not (os.environ.get('PROMETHEUS_MULTIPROC_DIR')
        or os.environ.get('prometheus_multiproc_dir')):
    os.environ['PROMETHEUS_MULTIPROC_DIR'] = tempfile.mkdtemp(
        prefix='placement-metrics-')
    os.environ['PLACEMENT_METRICS_DIR_MADE'] = '1'


def _metrics_dir():
    return (os.environ.get('PROMETHEUS_MULTIPROC_DIR')
            or os.environ.get('prometheus_multiproc_dir'))


def on_starting(server):
    # Values left by an earlier run would be summed into this one's.
    for path in glob.glob(os.path.join(_metrics_dir(), '*.db')):
        os.remove(path)


def child_exit(server, worker):
    # A dead worker's gauges (connections in use) stop counting.
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if os.environ.get('PLACEMENT_METRICS_DIR_MADE'):
        shutil.rmtree(_metrics_dir(), ignore_errors=True)
