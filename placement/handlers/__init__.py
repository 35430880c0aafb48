"""Falcon resources, one module per route family.

Each responder reads like a sentence: authorize, validate, do, render.
"""
