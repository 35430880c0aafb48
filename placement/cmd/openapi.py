"""placement-openapi: write the OpenAPI description to files, e.g. to
publish it with a release.

    placement-openapi                      # latest microversion, to stdout
    placement-openapi --microversion 1.14 --output placement-1.14.json
    placement-openapi --microversion all --output DIR   # one file each
"""
import argparse
import json
import os
import sys

from placement import microversion
from placement.openapi import document


def _versions(wanted):
    if wanted == 'all':
        return [microversion.Version(1, minor) for minor in
                range(microversion.MIN[1], microversion.MAX[1] + 1)]
    if wanted == 'latest':
        return [microversion.MAX]
    try:
        version = microversion.Version(*[int(p) for p in wanted.split('.')])
    except (TypeError, ValueError):
        raise SystemExit('not a microversion: %s' % wanted)
    if not microversion.MIN <= version <= microversion.MAX:
        raise SystemExit('microversion %s is outside %s-%s'
                         % (wanted, microversion.MIN, microversion.MAX))
    return [version]


def _write(doc, path):
    text = json.dumps(doc, indent=2, sort_keys=True) + '\n'
    if path in (None, '-'):
        sys.stdout.write(text)
        return
    with open(path, 'w') as f:
        f.write(text)


def main(argv=None):
    parser = argparse.ArgumentParser(prog='placement-openapi',
                                     description=__doc__.split('\n')[0])
    parser.add_argument('--microversion', default='latest',
                        help='X.Y, latest (default) or all')
    parser.add_argument('--output', help='file (or, with all, directory); '
                        'default: standard output')
    args = parser.parse_args(argv)
    versions = _versions(args.microversion)
    if args.microversion != 'all':
        _write(document.build(versions[0]), args.output)
        return 0
    if not args.output:
        raise SystemExit('--microversion all needs --output DIR')
    os.makedirs(args.output, exist_ok=True)
    for version in versions:
        _write(document.build(version), os.path.join(
            args.output, 'placement-%s.json' % (version,)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
