"""Sanxiang (三项): the administrative law-enforcement three-systems platform."""

__version__ = "0.1.0"
