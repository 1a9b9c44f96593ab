"""`shipdesk stores …` and `shipdesk sync` as an operator runs them against a fake ShipStation: the secret goes to
the keyring and nowhere else, and every outcome is printed in plain words."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from shipdesk.cache import open_cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.cache.stores import StoreRecord, add_store, get_store
from shipdesk.cli import main
from shipdesk.domain import utc_now
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import shipstation_order


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        for order_id in (1, 2):
            order = shipstation_order(order_id, number=f"W-{order_id}", order_date=utc_now() - timedelta(days=1))
            server.add_order(order, modified=utc_now() - timedelta(hours=order_id))
        yield server


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cache.sqlite"


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


@pytest.fixture
def connected(db: Path, fake: FakeShipStation, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SHIPDESK_API_SECRET", fake.api_secret)
    add = ["stores", "add", "shipstation", "--name", "Main", "--api-key", fake.api_key, "--base-url", fake.base_url]
    assert run(db, *add) == 0
    monkeypatch.delenv("SHIPDESK_API_SECRET")
    return db


def cache_file_bytes(db: Path) -> bytes:
    return b"".join(path.read_bytes() for path in db.parent.glob(db.name + "*"))


def test_a_store_added_with_the_secret_in_the_environment_keeps_it_in_the_keyring_only(
    db: Path,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SHIPDESK_API_SECRET", fake.api_secret)

    code = run(
        db, "stores", "add", "shipstation", "--name", "Main", "--api-key", fake.api_key, "--base-url", fake.base_url
    )

    out = capsys.readouterr()
    assert code == 0
    assert out.out.splitlines()[0] == (
        f"Store Main saved for ShipStation ({fake.base_url}); the API secret is in the system keyring. "
        "Nothing was asked of ShipStation yet."
    )
    assert memory_keyring.store_secrets() == {"shipstation:Main": fake.api_secret}
    assert fake.api_secret.encode() not in cache_file_bytes(db)
    assert fake.api_secret not in out.out + out.err + caplog.text


def test_the_secret_can_come_on_stdin(
    db: Path, fake: FakeShipStation, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHIPDESK_API_SECRET", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(fake.api_secret + "\n"))

    assert run(db, "stores", "add", "shipstation", "--name", "Shop", "--api-key", "k", "--base-url", fake.base_url) == 0

    assert memory_keyring.secrets[memory_keyring.account_of("Shop")] == fake.api_secret


def test_a_plain_http_address_of_a_real_host_is_refused_and_nothing_is_kept(
    db: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHIPDESK_API_SECRET", "s3cr3t-value")
    args = ["stores", "add", "shipstation", "--name", "Main", "--api-key", "k", "--base-url", "http://example.com"]

    assert run(db, *args) == 1

    assert capsys.readouterr().err == (
        "shipdesk: ShipStation's address must start with https:// (got http://example.com).\n"
    )
    assert memory_keyring.secrets == {}


def test_a_second_store_of_the_same_name_is_refused_and_the_first_secret_stays(
    connected: Path, fake: FakeShipStation, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHIPDESK_API_SECRET", "another-secret")

    assert run(connected, "stores", "add", "shipstation", "--name", "Main", "--api-key", "other") == 1

    assert memory_keyring.secrets[memory_keyring.account_of("Main")] == fake.api_secret


def test_a_store_of_the_same_name_in_another_cache_file_keeps_its_own_secret(
    connected: Path,
    tmp_path: Path,
    fake: FakeShipStation,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    training = tmp_path / "training.sqlite"  # another cache file, as --db opens one: a copy to train on
    monkeypatch.setenv("SHIPDESK_API_SECRET", "another-accounts-secret-3c1f")
    add = ["stores", "add", "shipstation", "--name", "Main", "--api-key", fake.api_key, "--base-url", fake.base_url]
    assert run(training, *add) == 0  # the same name, another account's secret: it replaces nothing

    assert run(connected, "stores", "test", "Main") == 0, capsys.readouterr().err
    assert run(training, "stores", "remove", "Main") == 0  # and removing it there removes nothing of this one's
    assert run(connected, "stores", "test", "Main") == 0, capsys.readouterr().err


def test_syncing_a_store_of_csv_files_says_there_is_nothing_to_sync(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "etsy.csv"
    orders.write_text(
        "Order #,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity\n"
        "1001,Ana Lima,Rua 1,Lisboa,1100-001,PT,A,Apple,1\n",
        encoding="utf-8",
    )
    assert run(db, "import-csv", str(orders), "--store", "Etsy") == 0
    capsys.readouterr()

    assert run(db, "sync", "--store", "etsy") == 0

    assert (
        capsys.readouterr().out
        == "Store Etsy takes its orders from CSV files (shipdesk import-csv); nothing to sync.\n"
    )


def test_stores_test_says_the_store_works(connected: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()

    assert run(connected, "stores", "test", "Main") == 0

    assert capsys.readouterr().out == (
        "Store Main works: ShipStation accepted the API key and secret (2 stores there: "
        "ShipStation Manual Store (id 22766), Ashley's Test WooCommerce (id 25748)).\n"
    )


NO_STORE_999 = (
    "ShipStation accepted the key and secret, but the account has no active store 999 (2 stores there: "
    "ShipStation Manual Store (id 22766), Ashley's Test WooCommerce (id 25748)). Choose one of those ids, or "
    "every store of the account."
)


def test_stores_test_fails_on_a_store_id_the_account_does_not_have_and_names_the_ids_it_has(
    db: Path,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SHIPDESK_API_SECRET", fake.api_secret)
    add = ["stores", "add", "shipstation", "--name", "Main", "--api-key", fake.api_key, "--base-url", fake.base_url]
    assert run(db, *add, "--store-id", "999") == 0  # adding asks nothing of ShipStation: it may be offline
    capsys.readouterr()

    assert run(db, "stores", "test", "Main") == 1

    assert capsys.readouterr().err == f"Store Main does not work: {NO_STORE_999}\n"


def test_editing_to_a_store_id_the_account_does_not_have_is_refused_and_keeps_the_saved_one(
    connected: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(connected, "stores", "edit", "Main", "--store-id", "25748") == 0
    capsys.readouterr()

    assert run(connected, "stores", "edit", "Main", "--store-id", "999") == 1

    assert capsys.readouterr().err == f"shipdesk: Store Main not changed: {NO_STORE_999}\n"
    assert run(connected, "stores", "list") == 0
    assert "  store 25748 only; marking shipped tells the sales channel\n" in capsys.readouterr().out


def test_a_wrong_secret_is_reported_in_plain_words_and_never_shown(
    connected: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-secret-9f2e77"
    memory_keyring.secrets[memory_keyring.account_of("Main")] = wrong
    capsys.readouterr()

    test_code = run(connected, "stores", "test", "Main")
    sync_code = run(connected, "sync")

    out = capsys.readouterr()
    assert (test_code, sync_code) == (1, 1)
    assert out.err.splitlines()[0] == (
        "Store Main does not work: ShipStation refused the API key and secret for store Main. "
        "Check them in ShipStation under Settings → API."
    )
    assert "Pushing stopped" not in out.out + out.err
    assert out.err.splitlines()[1] == (
        "The pull stopped: ShipStation refused the API key and secret for store Main. "
        "Check them in ShipStation under Settings → API."
    )
    assert out.out == "Pushed 0 shipped updates to Main; 0 pending.\n"  # nothing on stdout claims a pull
    assert wrong not in out.out + out.err + caplog.text


def test_stores_list_says_when_the_store_last_synced_well_and_apart_when_a_sync_failed_since(
    connected: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = memory_keyring.secrets[memory_keyring.account_of("Main")]
    refused = (
        "ShipStation refused the API key and secret for store Main. Check them in ShipStation under Settings → API."
    )

    def listed() -> str:
        capsys.readouterr()
        assert run(connected, "stores", "list") == 0
        return capsys.readouterr().out.splitlines()[0]

    memory_keyring.secrets[memory_keyring.account_of("Main")] = "wrong-secret-1d7a"
    assert run(connected, "sync") == 1
    never = saved_store(connected)
    assert never is not None and never.last_sync_at is not None
    assert listed() == (
        "Main (shipstation, America/Los_Angeles): never synced, 0 updates waiting"
        f" — the sync of {never.last_sync_at:%Y-%m-%d %H:%M} UTC failed: {refused}"
    )

    memory_keyring.secrets[memory_keyring.account_of("Main")] = secret
    assert run(connected, "sync") == 0
    good = saved_store(connected)
    assert good is not None and good.last_success_at is not None
    assert listed() == (
        f"Main (shipstation, America/Los_Angeles): last synced {good.last_success_at:%Y-%m-%d %H:%M} UTC, "
        "0 updates waiting"
    )

    memory_keyring.secrets[memory_keyring.account_of("Main")] = "wrong-secret-1d7a"
    assert run(connected, "sync") == 1
    failed = saved_store(connected)
    assert failed is not None and failed.last_sync_at is not None
    assert failed.last_success_at == good.last_success_at < failed.last_sync_at
    assert listed() == (
        f"Main (shipstation, America/Los_Angeles): last synced {good.last_success_at:%Y-%m-%d %H:%M} UTC, "
        f"0 updates waiting — the sync of {failed.last_sync_at:%Y-%m-%d %H:%M} UTC failed: {refused}"
    )


def test_sync_prints_pulled_skipped_pushed_and_pending(
    connected: Path, fake: FakeShipStation, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_order(
        shipstation_order(3, number="GIFT-3", order_date=utc_now() - timedelta(days=1), physical=False),
        modified=utc_now(),
    )
    capsys.readouterr()

    assert run(connected, "sync") == 0
    first = capsys.readouterr().out.splitlines()
    assert run(connected, "ship", "W-1", "--carrier", "USPS", "--service", "Priority Mail", "--tracking", "9400") == 0
    assert run(connected, "sync", "--store", "Main") == 0
    second = capsys.readouterr().out.splitlines()

    assert first == [
        "Pushed 0 shipped updates to Main; 0 pending.",
        "Pulled 3 orders from Main (first sync): 2 new, 0 updated, 1 skipped.",
        "Skipped 1 order: no item that needs shipping, so nothing to ship (GIFT-3).",
    ]
    assert second[1:3] == [
        "Pushed 1 shipped update to Main; 0 pending.",
        "Pulled 2 orders from Main: 0 new, 0 updated, 1 unchanged, 1 left as they were (already shipped or "
        "cancelled), 0 skipped.",
    ]
    assert fake.shipped_calls[0]["carrierCode"] == "usps"


def test_sync_says_on_stderr_when_shipstation_failed_and_it_tries_again(
    connected: Path, fake: FakeShipStation, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.fail_next(1, status=503)
    capsys.readouterr()

    assert run(connected, "sync") == 0

    printed = capsys.readouterr()
    assert printed.err.startswith("Store Main: ShipStation had a server error (503")
    assert printed.err.endswith("; trying again in 1 s (try 2 of 5).\n")
    assert "Pulled 2 orders from Main (first sync): 2 new" in printed.out


def test_sync_leaves_csv_stores_alone(
    connected: Path, fake: FakeShipStation, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = open_cache(connected)
    add_store(cache, StoreRecord(name="Market stall", kind="csv"))
    cache.close()
    capsys.readouterr()

    assert run(connected, "sync") == 0
    assert run(connected, "sync", "--store", "Market stall") == 0

    out = capsys.readouterr().out
    assert "Market stall" not in out.split("\n\n")[0].split("Store Market stall")[0]
    assert out.splitlines()[-1] == (
        "Store Market stall takes its orders from CSV files (shipdesk import-csv); nothing to sync."
    )
    assert run(connected, "stores", "list") == 0
    assert (
        "Market stall (csv, UTC): orders from CSV files (shipdesk import-csv), 0 updates waiting"
        in capsys.readouterr().out.splitlines()
    )


def test_a_store_without_its_secret_asks_for_it_again(
    connected: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    memory_keyring.secrets.clear()
    capsys.readouterr()

    assert run(connected, "sync") == 1

    assert capsys.readouterr().err == (
        "Store Main not synced: No API secret is saved for store Main. Give it again: File → Stores… → Edit in the window, or shipdesk stores edit Main --new-secret.\n"
    )


def test_stores_list_and_remove(
    connected: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(connected, "sync") == 0
    assert run(connected, "ship", "W-2", "--carrier", "UPS", "--service", "Ground", "--tracking", "1Z") == 0
    capsys.readouterr()

    assert run(connected, "stores", "list") == 0
    listed = capsys.readouterr().out.splitlines()
    synced = saved_store(connected)
    assert synced is not None and synced.last_success_at is not None
    assert listed[0] == (
        f"Main (shipstation, America/Los_Angeles): last synced {synced.last_success_at:%Y-%m-%d %H:%M} UTC, "
        "1 update waiting"
    )
    assert listed[1:] == ["  every store of the account; marking shipped tells the sales channel", "1 store"]
    assert run(connected, "outbox") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 update waiting for its store"

    assert run(connected, "stores", "remove", "Main") == 1
    assert capsys.readouterr().err.endswith(
        "1 shipped update still waits to be sent to store Main. Sync first, or add --force to drop it unsent.\n"
    )
    assert run(connected, "stores", "remove", "Main", "--force") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Store Main removed and its secret forgotten; its orders stay in the cache.",
        "1 shipped update dropped unsent: mark that order shipped in the store by hand.",
    ]
    assert memory_keyring.secrets == {}
    assert run(connected, "outbox") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 updates waiting for their store"


def test_whom_shipstation_tells_and_how_its_statuses_read_are_the_stores_own_settings(
    connected: Path, fake: FakeShipStation, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_order(
        shipstation_order(3, number="DS-3", status="pending_fulfillment", order_date=utc_now() - timedelta(days=1)),
        modified=utc_now(),
    )
    edit = ["stores", "edit", "Main", "--notify-customer", "--no-notify-sales-channel"]

    assert run(connected, *edit, "--status-map", "Pending fulfillment=awaiting shipment") == 0
    assert run(connected, "sync") == 0
    assert run(connected, "orders", "--search", "DS-3", "--json") == 0
    assert '"status": "awaiting_shipment"' in capsys.readouterr().out  # packed here, not by the provider
    assert run(connected, "ship", "DS-3", "--carrier", "UPS", "--service", "Ground", "--tracking", "1Z3") == 0
    assert run(connected, "sync") == 0

    (shipped,) = fake.shipped_calls
    assert (shipped["orderId"], shipped["notifyCustomer"], shipped["notifySalesChannel"]) == (3, True, False)
    capsys.readouterr()
    assert run(connected, "stores", "list") == 0
    assert (
        "  every store of the account; marking shipped tells the customer; pending_fulfillment read as awaiting_shipment"
        in (capsys.readouterr().out.splitlines())
    )
    assert run(connected, "stores", "edit", "Main", "--no-status-map") == 0
    record = saved_store(connected)
    assert record is not None and record.status_map == {}


@pytest.mark.parametrize(
    ("mapping", "said"),
    [
        (
            "on_hold",
            "--status-map takes STATUS=READ_AS, such as pending_fulfillment=awaiting_shipment (got 'on_hold').",
        ),
        ("shipped=awaiting_shipment", "'shipped' is not a ShipStation status that can be read another way"),
    ],
)
def test_a_status_mapping_that_cannot_work_changes_nothing(
    connected: Path, mapping: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = saved_store(connected)

    assert run(connected, "stores", "edit", "Main", "--status-map", mapping) == 1

    assert said in capsys.readouterr().err
    assert saved_store(connected) == before


def saved_store(db: Path, name: str = "Main") -> StoreRecord | None:
    cache = open_cache(db)
    try:
        return get_store(cache, name)
    finally:
        cache.close()


def test_stores_edit_saves_a_rotated_key_and_secret_once_shipstation_accepts_them(
    connected: Path,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    assert run(connected, "sync") == 0
    synced = saved_store(connected)
    assert synced is not None and synced.high_water is not None
    fake.rotate_keys()
    monkeypatch.setenv("SHIPDESK_API_SECRET", fake.api_secret)
    capsys.readouterr()

    code = run(connected, "stores", "edit", "Main", "--api-key", fake.api_key, "--new-secret")

    out = capsys.readouterr()
    assert code == 0
    assert out.out.splitlines() == [
        "Store Main changed: ShipStation accepted the API key and secret (2 stores there: ShipStation Manual Store (id 22766), "
        "Ashley's Test WooCommerce (id 25748)).",
        "The new API secret is in the system keyring.",
    ]
    assert saved_store(connected) == replace(synced, config={**synced.config, "api_key": fake.api_key})
    assert memory_keyring.store_secrets() == {"shipstation:Main": fake.api_secret}
    assert fake.api_secret.encode() not in cache_file_bytes(connected)
    assert fake.api_secret not in out.out + out.err + caplog.text
    assert run(connected, "sync") == 0  # goes on from where the last sync stopped: no first sync again, nothing new
    pulled = capsys.readouterr().out.splitlines()[1]
    assert pulled.startswith("Pulled ") and pulled.endswith(" from Main: 0 new, 0 updated, 1 unchanged, 0 skipped.")


def test_stores_edit_keeps_the_saved_secret_unless_a_new_one_is_asked_for(
    connected: Path,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SHIPDESK_API_SECRET", "not-to-be-read-6a1f")
    capsys.readouterr()

    assert run(connected, "stores", "edit", "Main", "--time-zone", "America/Chicago", "--store-id", "22766") == 0

    assert capsys.readouterr().out.splitlines()[0] == (
        "Store Main changed: ShipStation accepted the API key and secret (2 stores there: ShipStation Manual Store (id 22766), "
        "Ashley's Test WooCommerce (id 25748))."
    )
    store = saved_store(connected)
    assert store is not None
    assert (store.time_zone, store.config["store_id"]) == ("America/Chicago", "22766")
    assert memory_keyring.store_secrets() == {"shipstation:Main": fake.api_secret}

    assert run(connected, "stores", "edit", "Main", "--all-stores") == 0
    store = saved_store(connected)
    assert store is not None and "store_id" not in store.config


def test_stores_edit_with_a_secret_shipstation_refuses_changes_nothing(
    connected: Path,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = saved_store(connected)
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-secret-3c9d41\n"))
    capsys.readouterr()

    code = run(connected, "stores", "edit", "Main", "--time-zone", "America/Chicago", "--new-secret")

    out = capsys.readouterr()
    assert code == 1
    assert out.err == (
        "shipdesk: Store Main not changed: ShipStation refused the API key and secret for store Main. "
        "Check them in ShipStation under Settings → API.\n"
    )
    assert "wrong-secret-3c9d41" not in out.out + out.err
    assert saved_store(connected) == before
    assert memory_keyring.store_secrets() == {"shipstation:Main": fake.api_secret}


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["Nope", "--new-secret"], "There is no store named Nope."),
        (
            ["Main"],
            "Nothing to change for store Main: give the settings to change (shipdesk stores edit --help lists them) "
            "or --new-secret.",
        ),
        (
            ["Main", "--time-zone", "Mars/Olympus", "--new-secret"],
            "Unknown time zone 'Mars/Olympus' (use a name such as America/Chicago).",
        ),
        (
            ["Main", "--base-url", "http://example.com"],
            "ShipStation's address must start with https:// (got http://example.com).",
        ),
        (
            ["Market stall", "--api-key", "k", "--new-secret"],
            "Store Market stall is a csv store; it has no ShipStation settings.",
        ),
    ],
)
def test_stores_edit_says_what_is_wrong_before_asking_for_a_secret(
    args: list[str],
    error: str,
    connected: Path,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cache = open_cache(connected)
    add_store(cache, StoreRecord(name="Market stall", kind="csv"))
    cache.close()
    before = saved_store(connected)
    monkeypatch.setattr("sys.stdin", io.StringIO("typed-for-nothing-81be\n"))
    capsys.readouterr()

    assert run(connected, "stores", "edit", *args) == 1

    assert capsys.readouterr().err == f"shipdesk: {error}\n"
    assert saved_store(connected) == before
    assert memory_keyring.store_secrets() == {"shipstation:Main": fake.api_secret}
    assert fake.requests_to("/stores") == []
    assert sys.stdin.readline() == "typed-for-nothing-81be\n"  # the secret was not read


def test_stores_edit_without_a_saved_secret_asks_for_a_new_one(
    connected: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    memory_keyring.secrets.clear()
    capsys.readouterr()

    assert run(connected, "stores", "edit", "Main", "--time-zone", "America/Chicago") == 1

    assert capsys.readouterr().err == (
        "shipdesk: Store Main not changed: no API secret is saved for it; give it with --new-secret.\n"
    )


def test_stores_catalog_fetches_once_and_shows_the_cached_choices(
    connected: Path, fake: FakeShipStation, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(connected, "stores", "catalog", "Main") == 0
    fetched = capsys.readouterr().out
    assert run(connected, "stores", "catalog", "Main", "--cached") == 0

    assert capsys.readouterr().out == fetched
    assert "FedEx (SS) (fedex)" in fetched and "FedEx 2Day® [fedex_2day]" in fetched
    assert len(fake.requests_to("/carriers")) == 1


def test_choosing_other_stores_of_the_account_starts_the_sync_afresh_so_their_older_orders_arrive(
    connected: Path, fake: FakeShipStation, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_generated_orders(2, first_modified=utc_now() - timedelta(days=3), store_id=22766)
    fake.add_generated_orders(3, first_modified=utc_now() - timedelta(days=2), store_id=25748)
    assert run(connected, "stores", "edit", "Main", "--store-id", "25748") == 0
    assert run(connected, "sync") == 0
    assert len(load_orders_of(connected)) == 3
    capsys.readouterr()

    assert run(connected, "stores", "edit", "Main", "--store-id", "22766") == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "Its next sync starts afresh, as a first sync: orders changed in the last 14 days are pulled again for the "
        "stores now chosen."
    )
    assert run(connected, "sync") == 0

    assert "(first sync): 2 new" in capsys.readouterr().out
    assert len(load_orders_of(connected)) == 5  # modified before the first sync's high-water mark, and not lost


def test_changing_whom_shipstation_tells_keeps_the_sync_progress(
    connected: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(connected, "sync") == 0
    before = saved_store(connected)
    capsys.readouterr()

    assert run(connected, "stores", "edit", "Main", "--notify-customer") == 0

    assert len(capsys.readouterr().out.splitlines()) == 1
    after = saved_store(connected)
    assert before is not None and after is not None
    assert (after.high_water, after.last_sync_at) == (before.high_water, before.last_sync_at)


def load_orders_of(db: Path) -> list[str]:
    cache = open_cache(db)
    try:
        return [stored.order.order_number for stored in load_orders(cache, OrderQuery())]
    finally:
        cache.close()


def test_an_update_the_store_refuses_waits_for_the_packer_who_sends_it_again_or_drops_it(
    connected: Path, fake: FakeShipStation, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(connected, "sync") == 0
    assert run(connected, "ship", "W-1", "--carrier", "UPS", "--service", "Ground", "--tracking", "1Z1") == 0
    assert run(connected, "ship", "W-2", "--carrier", "UPS", "--service", "Ground", "--tracking", "1Z2") == 0
    fake.update_order(1, orderStatus="cancelled")
    fake.update_order(2, orderStatus="cancelled")
    capsys.readouterr()

    assert run(connected, "sync") == 1  # news: the store refused
    refused = capsys.readouterr()
    assert "Order W-1 refused by Main: " in refused.err
    assert "refused" not in refused.out
    assert run(connected, "sync") == 0  # not tried again, only recalled
    recalled = capsys.readouterr()
    assert recalled.err == "2 updates refused by Main earlier still wait for you (shipdesk outbox).\n"
    assert run(connected, "outbox") == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("Main: order W-1 shipped UPS Ground 1Z1 — refused by the store: ShipStation refused")
    assert listed[0].endswith("(--send-again W-1 or --drop W-1)")
    assert listed[-1] == "0 updates waiting for their store; 2 refused, waiting for you"
    assert run(connected, "outbox", "--json") == 0
    assert [repr(row["refused"]) for row in json.loads(capsys.readouterr().out)] == ["True", "True"]  # true, not 1

    fake.update_order(1, orderStatus="awaiting_shipment")  # put right in ShipStation
    assert run(connected, "outbox", "--send-again", "W-1") == 0
    assert run(connected, "outbox", "--drop", "W-2") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Order W-1: 1 update back in line; the next sync sends it to Main.",
        "Order W-2: 1 update dropped; Main will not hear of it from shipdesk.",
    ]
    assert run(connected, "sync") == 0
    assert [call["orderId"] for call in fake.shipped_calls][-1] == 1
    assert run(connected, "outbox", "--drop", "W-2") == 1
    assert capsys.readouterr().err.endswith("no update of order W-2 is in the outbox; nothing to drop\n")
