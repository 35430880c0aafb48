"""How long a test cloud takes to restore a scenario between two tests.

Starts ``placement-testcloud serve`` (a real gunicorn) with a scenario,
then N times: change the cloud (delete a consumer's allocations, add a
provider), and POST /_testcloud/reset over HTTP. Prints the round trip
a client sees and the server's own figure for the copy.

    .venv/bin/python -m benchmarks.testcloud_reset [--scenario mixed] [-n 200]
"""
import argparse
import statistics
import time

from placement.testcloud import http_client
from placement.testcloud.handle import TestCloud


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scenario', default='mixed')
    parser.add_argument('-n', type=int, default=200)
    args = parser.parse_args()
    started = time.perf_counter()
    with TestCloud.start(scenario=args.scenario) as cloud:
        startup = time.perf_counter() - started
        client = http_client.Client(url=cloud.endpoint, version='1.39')
        consumers = list(cloud.index['consumers'].values())
        round_trips, server = [], []
        for i in range(args.n):
            if consumers:
                client.request('DELETE', '/allocations/%s'
                               % consumers[i % len(consumers)])
            client.request('POST', '/resource_providers',
                           {'name': 'bench-%d' % i})
            t0 = time.perf_counter()
            answer = client.request('POST', '/_testcloud/reset', {},
                                    expect=200).json()
            round_trips.append((time.perf_counter() - t0) * 1000)
            server.append(answer['elapsed_ms'])
        switch = []
        for name in ('numa', args.scenario) * 10:
            t0 = time.perf_counter()
            client.request('POST', '/_testcloud/reset', {'scenario': name},
                           expect=200)
            switch.append((time.perf_counter() - t0) * 1000)
        client.close()
    print('scenario %s: %d providers, %d consumers; server start %.2f s'
          % (args.scenario, len(cloud.index['providers']), len(consumers),
             startup))
    for label, values in (('reset, HTTP round trip', round_trips),
                          ('reset, server copy only', server),
                          ('switch scenario, HTTP', switch)):
        print('%-26s median %6.2f ms  p95 %6.2f ms  max %6.2f ms  (n=%d)'
              % (label, statistics.median(values), percentile(values, 0.95),
                 max(values), len(values)))


if __name__ == '__main__':
    main()
