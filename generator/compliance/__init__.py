"""Requirements judged on evidence and findings (the trace), the compliance matrix and the figures
as `clause8 export` writes them, and the assurance table of docs/assurance.md.
"""
