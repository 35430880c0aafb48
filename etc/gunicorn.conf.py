# gunicorn settings for Placement; override any of them on the command line.
import multiprocessing
import os

bind = os.environ.get('PLACEMENT_BIND', '127.0.0.1:8778')
workers = int(os.environ.get('PLACEMENT_WORKERS',
                             min(4, multiprocessing.cpu_count() * 2)))
worker_class = 'sync'
timeout = 120
accesslog = None  # placement logs each request itself
# Long candidate queries (member_of=in: with a hundred aggregates is ~4 KB)
# must reach the application: Apache's limit, not gunicorn's 4094.
limit_request_line = 8190
