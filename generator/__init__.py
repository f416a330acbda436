"""papercat's generator: content/ -> validated catalogue -> Markdown site in docs/.

Stages, in order: load -> validate -> topics -> links -> search -> render -> exports.
"""

__version__ = "0.1.0"
