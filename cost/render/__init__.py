"""Renderers for cost reports, diffs and right-sizing: table (rich), markdown, json, html.

`cost.render.formats` maps each `--format` to its renderer.
"""
