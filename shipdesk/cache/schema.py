"""The cache's tables, one forward migration per schema version.

Append a migration to change the schema; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from shipdesk.cache.search_text import recipient_sort_key, search_extra

# Columns the full-text search covers: order number, names, e-mail, SKUs and item names.
# search_folded holds those words again with special letters spelled out (cache/search_text.py).
SEARCH_COLUMNS = [
    "order_number",
    "ship_name",
    "bill_name",
    "customer_email",
    "item_skus",
    "item_names",
    "search_folded",
]


def _v1_tables(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            store TEXT NOT NULL,
            upstream_id TEXT NOT NULL,
            order_number TEXT NOT NULL,
            order_date TEXT NOT NULL,
            status TEXT NOT NULL,
            hold_reason TEXT NOT NULL DEFAULT '',
            ship_name TEXT NOT NULL DEFAULT '',
            ship_country TEXT NOT NULL DEFAULT '',
            bill_name TEXT NOT NULL DEFAULT '',
            customer_email TEXT NOT NULL DEFAULT '',
            item_count INTEGER NOT NULL DEFAULT 0,
            weight_grams REAL,
            item_skus TEXT NOT NULL DEFAULT '',
            item_names TEXT NOT NULL DEFAULT '',
            search_folded TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (store, upstream_id)
        );
        CREATE INDEX orders_order_number ON orders (order_number);
        CREATE INDEX orders_order_date ON orders (order_date);
        CREATE INDEX orders_status_date ON orders (status, order_date);

        CREATE TABLE shipments (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders (id),
            carrier TEXT NOT NULL,
            service TEXT NOT NULL,
            package TEXT NOT NULL DEFAULT '',
            tracking_number TEXT NOT NULL,
            cost TEXT,
            label_size TEXT NOT NULL,
            shipped_at TEXT NOT NULL
        );
        CREATE INDEX shipments_order ON shipments (order_id);

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders (id),
            store TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )


def _v2_search(db: sqlite_utils.Database) -> None:
    # remove_diacritics 2: "Zoe" finds "Zoë", "Nunez" finds "Núñez".
    db["orders"].enable_fts(  # type: ignore[union-attr]
        SEARCH_COLUMNS, create_triggers=True, tokenize="unicode61 remove_diacritics 2", replace=True
    )


def _v3_stores(db: sqlite_utils.Database) -> None:
    # config holds no secret: those live in the OS keyring (upstream/credentials.py).
    db.executescript(
        """
        CREATE TABLE stores (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            config TEXT NOT NULL DEFAULT '{}',
            time_zone TEXT NOT NULL DEFAULT 'UTC',
            status_map TEXT NOT NULL DEFAULT '{}',
            high_water TEXT,
            last_sync_at TEXT,
            last_sync_error TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );

        CREATE TABLE carrier_catalog (
            store TEXT NOT NULL,
            carrier_code TEXT NOT NULL,
            kind TEXT NOT NULL,
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            domestic INTEGER NOT NULL DEFAULT 1,
            international INTEGER NOT NULL DEFAULT 0,
            fetched_at TEXT NOT NULL,
            PRIMARY KEY (store, carrier_code, kind, code)
        );

        ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
        ALTER TABLE shipments ADD COLUMN label_pdf BLOB;
        """
    )


def _printer_profiles(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE printers (
            name TEXT PRIMARY KEY,
            language TEXT NOT NULL,
            uri TEXT NOT NULL,
            dpi INTEGER NOT NULL,
            media TEXT NOT NULL,
            darkness INTEGER,
            speed INTEGER,
            cut INTEGER NOT NULL DEFAULT 0,
            is_default INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        """
    )


def _item_thumbnails(db: sqlite_utils.Database) -> None:
    # data is empty for an image that could not be fetched, so it is not asked for again at every slip.
    db.executescript(
        """
        CREATE TABLE thumbnails (
            url TEXT PRIMARY KEY,
            data BLOB NOT NULL,
            fetched_at TEXT NOT NULL
        );
        """
    )


def _first_sync_skips(db: sqlite_utils.Database) -> None:
    # Orders a store's first sync skipped as pending for too long, with the modify date they had: pulled again
    # unchanged, they stay skipped after the first sync's cutoff is gone (upstream/sync.py).
    db.executescript(
        """
        CREATE TABLE first_sync_skips (
            store TEXT NOT NULL,
            upstream_id TEXT NOT NULL,
            modify_date TEXT NOT NULL,
            PRIMARY KEY (store, upstream_id)
        );
        """
    )


def _refused_updates(db: sqlite_utils.Database) -> None:
    # When the store refused an update for good (the order was cancelled there): it then waits for a person, who
    # sends it again or drops it, instead of being retried for ever.
    db.executescript("ALTER TABLE outbox ADD COLUMN refused_at TEXT;")


def _recipient_sort_key(db: sqlite_utils.Database) -> None:
    # SQLite's NOCASE folds only ASCII, so "Émile" sorted after "Zoe". ship_name_sort holds the folded name of
    # a name with other letters ("emile"), and is empty for a plain ASCII one, which sorts as it is.
    db.execute("ALTER TABLE orders ADD COLUMN ship_name_sort TEXT NOT NULL DEFAULT ''")
    rows = db.execute("SELECT id, ship_name FROM orders").fetchall()
    db.conn.executemany(
        "UPDATE orders SET ship_name_sort = ? WHERE id = ?",
        [(recipient_sort_key(name), order_id) for order_id, name in rows if not name.isascii()],
    )


def _last_good_sync(db: sqlite_utils.Database) -> None:
    # last_sync_at is when the last sync ended, well or not; last_success_at when one last went well, which is what
    # "last synced" means to a person. A last sync without an error went well.
    db.executescript(
        """
        ALTER TABLE stores ADD COLUMN last_success_at TEXT;
        UPDATE stores SET last_success_at = last_sync_at WHERE last_sync_error = '';
        """
    )


def _combined_orders(db: sqlite_utils.Database) -> None:
    # Orders a store combined into another (ShipStation's mergedIds), with the order they went into: they stay on
    # hold, or are skipped, whenever they come again, though the order that named them may never come again.
    db.executescript(
        """
        CREATE TABLE combined_orders (
            store TEXT NOT NULL,
            upstream_id TEXT NOT NULL,
            parent_upstream_id TEXT NOT NULL,
            parent_number TEXT NOT NULL,
            PRIMARY KEY (store, upstream_id)
        );
        """
    )


def _voidable_shipments(db: sqlite_utils.Database) -> None:
    # upstream_shipment_id: ShipStation's id of a label bought there, which voiding it takes. claimed_until: while a
    # pusher is sending the update (next_attempt_at alone cannot tell that from a retry's wait), it is not withdrawn.
    db.executescript(
        """
        ALTER TABLE shipments ADD COLUMN upstream_shipment_id TEXT;
        ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
        """
    )


def _voided_labels(db: sqlite_utils.Database) -> None:
    # A voided shipment leaves the shipments table; its label is kept here, so a refund on the carrier's or
    # ShipStation's bill can be matched to the label it is for. refund_asked: voided in ShipStation, which refunds it.
    db.executescript(
        """
        CREATE TABLE voided_labels (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders (id),
            carrier TEXT NOT NULL,
            service TEXT NOT NULL,
            package TEXT NOT NULL DEFAULT '',
            tracking_number TEXT NOT NULL,
            cost TEXT,
            label_size TEXT NOT NULL,
            shipped_at TEXT NOT NULL,
            voided_at TEXT NOT NULL,
            refund_asked INTEGER NOT NULL
        );
        CREATE INDEX voided_labels_order ON voided_labels (order_id);
        """
    )


def _updates_that_may_have_arrived(db: sqlite_utils.Database) -> None:
    # may_have_arrived: a push of the update was sent and its answer lost (a timeout, a dropped connection, a server
    # error, a pusher that died mid-way): the store may have the order shipped, so its label is not voided here.
    db.execute("ALTER TABLE outbox ADD COLUMN may_have_arrived INTEGER NOT NULL DEFAULT 0")


def _names_with_apostrophes_joined(db: sqlite_utils.Database) -> None:
    # "obrien" finds O'Brien: a name's words joined where an apostrophe splits them are search words too. The
    # orders' search_folded is written again for the names that have one (the search index follows by its triggers).
    rows = db.execute(
        "SELECT id, ship_name, bill_name, item_names FROM orders WHERE ship_name || bill_name || item_names LIKE ?"
        " OR ship_name || bill_name || item_names LIKE ?",
        ["%'%", "%\u2019%"],
    ).fetchall()
    db.conn.executemany(
        "UPDATE orders SET search_folded = ? WHERE id = ?",
        [(search_extra(ship, bill, items), order_id) for order_id, ship, bill, items in rows],
    )


def _label_purchase_claims(db: sqlite_utils.Database) -> None:
    # A window or program buying an order's label claims it first (cache/label_claims.py), so two never pay for one
    # order's label. claimed_until lets a claim lapse when its program died mid-purchase; answer_lost marks one whose
    # purchase was sent and its answer lost: ShipStation may have sold that label, so the claim is kept until it lapses.
    db.executescript(
        """
        CREATE TABLE label_purchase_claims (
            order_id INTEGER PRIMARY KEY REFERENCES orders (id),
            token TEXT NOT NULL,
            claimed_until TEXT NOT NULL,
            answer_lost INTEGER NOT NULL DEFAULT 0
        );
        """
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_tables,
    _v2_search,
    _v3_stores,
    _printer_profiles,
    _item_thumbnails,
    _first_sync_skips,
    _refused_updates,
    _recipient_sort_key,
    _last_good_sync,
    _combined_orders,
    _voidable_shipments,
    _voided_labels,
    _updates_that_may_have_arrived,
    _names_with_apostrophes_joined,
    _label_purchase_claims,
]
