"""The kit's tools, the top layer: the ``wildrydes`` command, the headless batch of notebooks,
the hub's proxy entries and supervisor, and the learner's workspace.

Tools may use everything below them (the notebook layer, the core, the embedded backend);
nothing below imports a tool (``make lint`` checks it with import-linter).
"""

__all__: list[str] = []
