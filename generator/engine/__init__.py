"""The site engine adapter: the only code that imports mkdocs or the macros plugin.

``plugin`` hands mkdocs events to the generator (load, check, render, clean); ``macros`` gives
hand-written pages the record macros. Everything else in the package is plain Python that an
engine other than mkdocs could drive (see README "Site engines").
"""
