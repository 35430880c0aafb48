"""Logging set-up for the service (oslo.log, options in [DEFAULT])."""
import logging

from oslo_log import log as oslo_log


def register_opts(conf):
    oslo_log.register_options(conf)


def setup(conf):
    oslo_log.setup(conf, 'placement')
    logging.getLogger('placement').setLevel(
        logging.DEBUG if conf.debug else logging.INFO)
