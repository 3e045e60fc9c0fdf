"""The embedded backend: an AWS on 127.0.0.1 that admits only what AWS would.

The front (:mod:`~wildrydes.local.server`: routes, signatures, origins, Host names), the kit's
own Cognito user-pool service (:mod:`wildrydes.local.cognito`), moto's server for S3, and the
process that runs it in the background (:mod:`~wildrydes.local.process`). It never imports
the kit above it: what the kit wants done at start (its website bucket made again) is a hook
the server is handed (:data:`~wildrydes.local.serving.StartHook`), run once it answers.
"""

__all__: list[str] = []
