"""The Qt desktop window of shipdesk: models, widgets and dialogs over the cache.

Only this package imports Qt; every other layer is used from here and tested without a display.
"""
