"""``placement-testcloud``: serve a test cloud, load a scenario into any
Placement, list and show scenarios."""
import argparse
import json
import logging
import sys

from placement import microversion
from placement.testcloud import http_client, http_load, releases
from placement.testcloud import scenario as scenario_mod
from placement.testcloud import summary


def _ceiling(args):
    """(Version or None, release name or None) from the options."""
    if args.release:
        return releases.ceiling(args.release), args.release.lower()
    if args.max_microversion:
        return releases.parse_version(args.max_microversion), None
    return None, None


def cmd_serve(args):
    from placement.testcloud import server  # gunicorn only when serving
    max_version, release = _ceiling(args)
    server.serve(args.scenario, host=args.host, port=args.port,
                 max_version=max_version, release=release,
                 threads=args.threads, ready_file=args.ready_file,
                 verbose=args.verbose)


def cmd_load(args):
    loaded = scenario_mod.load(args.scenario)
    client = http_client.Client(url=args.url, token=args.token)
    try:
        version = http_load.load(client, loaded)
    finally:
        client.close()
    print('Loaded %s into %s at microversion %s'
          % (loaded.name, args.url, version))
    print('\n'.join(summary.lines(loaded)))


def cmd_list(args):
    for name in scenario_mod.builtin_names():
        loaded = scenario_mod.load(name)
        print('%-15s %s' % (name, loaded.description))


def cmd_show(args):
    loaded = scenario_mod.load(args.scenario)
    if args.json:
        print(json.dumps(dict(loaded.index(), name=loaded.name,
                              description=loaded.description), indent=1))
    else:
        print('\n'.join(summary.lines(loaded)))


def cmd_releases(args):
    for name, version in releases.RELEASES.items():
        print('%-10s %s' % (name, version))


def parser():
    top = argparse.ArgumentParser(
        prog='placement-testcloud',
        description='A known-good Placement for testing clients against.')
    sub = top.add_subparsers(dest='command', required=True)

    serve = sub.add_parser('serve', help='serve a test cloud until stopped')
    serve.add_argument('--scenario', default='mixed',
                       help='built-in scenario name or a YAML file '
                            '(default: mixed)')
    serve.add_argument('--host', default='127.0.0.1')
    serve.add_argument('--port', type=int, default=8778,
                       help='0 picks a free port (default: 8778)')
    ceiling = serve.add_mutually_exclusive_group()
    ceiling.add_argument('--max-microversion', metavar='X.Y',
                         help='serve no microversion above X.Y (default: '
                              '%s)' % (microversion.MAX,))
    ceiling.add_argument('--release', metavar='NAME',
                         help="the ceiling of an OpenStack release "
                              "('queens', '2024.1'; see 'releases')")
    serve.add_argument('--threads', type=int, default=8)
    serve.add_argument('--ready-file', metavar='PATH',
                       help='write endpoint, token and index as JSON to PATH '
                            'once listening (removed on exit)')
    serve.add_argument('--verbose', action='store_true',
                       help='log every request')
    serve.set_defaults(func=cmd_serve)

    load = sub.add_parser('load', help='seed any Placement over HTTP')
    load.add_argument('--url', required=True,
                      help='the Placement endpoint, e.g. http://host:8778')
    load.add_argument('--token', default='admin',
                      help='X-Auth-Token to send (default: admin)')
    load.add_argument('--scenario', required=True,
                      help='built-in scenario name or a YAML file')
    load.set_defaults(func=cmd_load)

    show = sub.add_parser('show', help='check and summarize a scenario')
    show.add_argument('scenario', help='built-in scenario name or YAML file')
    show.add_argument('--json', action='store_true',
                      help='print the names and uuids as JSON')
    show.set_defaults(func=cmd_show)

    sub.add_parser('list', help='the built-in scenarios').set_defaults(
        func=cmd_list)
    sub.add_parser('releases', help='release → microversion ceiling'
                   ).set_defaults(func=cmd_releases)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING,
                        format='placement-testcloud: %(message)s')
    try:
        args.func(args)
    except (scenario_mod.ScenarioError, http_load.LoadError,
            http_client.HTTPError, ValueError, OSError) as exc:
        sys.exit('placement-testcloud: %s' % exc)
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
