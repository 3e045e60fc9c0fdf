"""The notebooks' own layer, one import: ``from wildrydes import notebook as nb``.

The notebooks call the core's step functions (``launch``, ``userpool``, ``accounts``, ``srp``,
``tokens``) directly; this layer holds everything only a notebook needs, each in its module:

* :mod:`~wildrydes.notebook.prerequisites`: connect, make sure module 1's bucket is there, and
  make each notebook's prerequisites exist (idempotently), so any notebook runs alone;
* :mod:`~wildrydes.notebook.signed_in`: notebook 05 keeps its session, 06-08 resume it (one
  sign-in per learner session, refreshed when needed);
* :mod:`~wildrydes.notebook.password_prompt`: the learner's password (``WILDRYDES_PASSWORD`` or
  a hidden prompt) and the policy checklist;
* :mod:`~wildrydes.notebook.results`: ``record()`` / ``read_results()``, the results contract
  between a notebook and its tests;
* :mod:`~wildrydes.notebook.displays` and :mod:`~wildrydes.notebook.srp_walk`: tables and
  walk-throughs; :mod:`~wildrydes.notebook.forms` and :mod:`~wildrydes.notebook.workbench`: the
  ipywidgets; :mod:`~wildrydes.notebook.demos`: the instructor's demos;
  :mod:`~wildrydes.notebook.ride_demos`: notebook 09's moved clock and refusals;
  :mod:`~wildrydes.notebook.site_walk`: notebook 07's website check and browser walk;
* :mod:`~wildrydes.notebook.tracebacks`: a kit error in a cell shows its message and next step,
  not a traceback (installed when this package is imported inside IPython).

Re-exported here once, so a notebook needs one import.
"""

from wildrydes.notebook import tracebacks
from wildrydes.notebook.demos import (
    ADMINS_GROUP,
    AfterSignOut,
    RefreshTry,
    UserRow,
    UsersTable,
    add_to_group,
    global_sign_out,
    groups_in_tokens,
    token_from_another_pool,
    try_refresh,
    users_table,
)
from wildrydes.notebook.displays import (
    Shown,
    app_client_settings,
    config_check,
    latest_message,
    pool_settings,
    short,
    side_by_side,
)
from wildrydes.notebook.forms import (
    RegistrationForm,
    SignInForm,
    VerifyForm,
    registration_form,
    sign_in_form,
    verify_form,
)
from wildrydes.notebook.password_prompt import (
    PASSWORD_ENV,
    forget_password,
    password,
    password_works,
    policy_checklist,
)
from wildrydes.notebook.prerequisites import (
    Workshop,
    already_done,
    confirm_user,
    ensure_user,
    user_status,
    workshop,
)
from wildrydes.notebook.results import RESULTS_MIME, read_results, record
from wildrydes.notebook.ride_demos import clock_moved, ride_answers
from wildrydes.notebook.signed_in import keep_session, signed_in
from wildrydes.notebook.site_walk import (
    PAGES,
    BrowserCheck,
    SiteCheck,
    browser_email,
    browser_journey,
    website_pages,
)
from wildrydes.notebook.srp_walk import (
    PasswordProof,
    WireTap,
    auth_result,
    challenge_table,
    srp_table,
    wire_tap,
)
from wildrydes.notebook.workbench import TokenWorkbench, token_workbench

__all__ = [
    # prerequisites
    "Workshop",
    "already_done",
    "confirm_user",
    "ensure_user",
    "user_status",
    "workshop",
    # one sign-in per learner session
    "keep_session",
    "signed_in",
    # the password
    "PASSWORD_ENV",
    "forget_password",
    "password",
    "password_works",
    "policy_checklist",
    # results
    "RESULTS_MIME",
    "read_results",
    "record",
    "clock_moved",
    "ride_answers",
    # displays
    "Shown",
    "app_client_settings",
    "config_check",
    "latest_message",
    "pool_settings",
    "short",
    "side_by_side",
    # SRP, step by step
    "PasswordProof",
    "WireTap",
    "auth_result",
    "challenge_table",
    "srp_table",
    "wire_tap",
    # forms and the token workbench
    "RegistrationForm",
    "SignInForm",
    "TokenWorkbench",
    "VerifyForm",
    "registration_form",
    "sign_in_form",
    "token_workbench",
    "verify_form",
    # the instructor's demos
    "ADMINS_GROUP",
    "AfterSignOut",
    "RefreshTry",
    "UserRow",
    "UsersTable",
    "add_to_group",
    "global_sign_out",
    "groups_in_tokens",
    "token_from_another_pool",
    "try_refresh",
    "users_table",
    # notebook 07's site walk
    "PAGES",
    "BrowserCheck",
    "SiteCheck",
    "browser_email",
    "browser_journey",
    "website_pages",
]

tracebacks.install()  # a kit error in a cell: its message and next step, no traceback
