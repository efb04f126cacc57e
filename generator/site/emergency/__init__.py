"""The emergency pack: what people need in the first hour of a major loss of service.

pack: index -> data and the page's paths; pdf: the printable PDF; vcard: the contacts for
phones; files: both, as the site's files. The page itself is rendered by
:func:`generator.site.assemble.render_emergency`.
"""
