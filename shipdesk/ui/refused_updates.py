"""The Orders menu items that put right an update a store refused, and the window's words that point to them.

Plain text with no Qt: the menu, the status bar, the sync tooltip and the detail pane name the items one way.
"""

from __future__ import annotations

from shipdesk.upstream.outbox_push import RefusedSteps

SEND_AGAIN_ACTION = "Send store update &again"
DROP_ACTION = "&Drop store update…"
SEND_AGAIN_ITEM = f"Orders → {SEND_AGAIN_ACTION.replace('&', '')}"
DROP_ITEM = f"Orders → {DROP_ACTION.replace('&', '')}"

# A sync's summary as the window shows it: a packer at the window puts a refused update right from the Orders menu.
WINDOW_STEPS = RefusedSteps(
    send_again_or_drop=(
        f"select order {{order}}, then {SEND_AGAIN_ITEM} once it is put right in the store, "
        f"or {DROP_ITEM} to give up on it."
    ),
    earlier=f" (select {{orders}}, then {SEND_AGAIN_ITEM} or {DROP_ITEM}).",
)
