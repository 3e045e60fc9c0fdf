"""The kit's tools, the top layer: the command line, the batch, the hub, the workspace.

The ``wildrydes`` command, the headless batch of notebooks (``make run``), the hub's proxy
entries and supervisor, the learner's workspace, and the scrub of executed notebooks.

Tools may use everything below them (the notebook layer, the core, the embedded backend);
nothing below imports a tool (``make lint`` checks it with import-linter).
"""

__all__: list[str] = []
