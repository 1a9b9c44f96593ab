"""Deterministic ShipStation-style order CSV files: the demo data and the import benchmark's input.

Run: .venv/bin/python bench/orders_csv.py --demo            (rewrites resources/demo-orders.csv)
     .venv/bin/python bench/orders_csv.py OUT.csv --lines N
"""

from __future__ import annotations

import argparse
import csv
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

DEMO_PATH = Path(__file__).resolve().parent.parent / "resources" / "demo-orders.csv"
DEMO_LINES = 460

HEADINGS = [
    "Order #",
    "Order Date",
    "Recipient",
    "Company",
    "Address 1",
    "Address 2",
    "City",
    "State",
    "Postal Code",
    "Country",
    "Phone",
    "Email",
    "SKU",
    "Item Name",
    "Quantity",
    "Unit Price",
    "Weight",
    "Weight Unit",
    "Options",
    "Warehouse Location",
    "Image URL",
    "Requires Shipping",
    "Gift",
    "Gift Message",
    "Customer Notes",
    "Requested Service",
    "Order Total",
    "Tax",
    "Shipping Paid",
]


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: Decimal
    weight: str  # as the store writes it, unit included
    options: tuple[tuple[str, tuple[str, ...]], ...] = ()
    location: str = ""
    digital: bool = False


PRODUCTS = [
    Product("MUG-ENM", "Enamel mug", Decimal("12.50"), "10 oz", (("Color", ("Blue", "Red", "Cream")),), "A-03-2"),
    Product("TEA-CI", "Cast iron teapot", Decimal("39.00"), "2.2 lb", (), "A-07-1"),
    Product("APR-LIN", "Linen apron", Decimal("24.00"), "180 g", (("Size", ("S/M", "L/XL")),), "B-01-4"),
    Product("BRD-OAK", "Oak cutting board", Decimal("32.00"), "1.1 kg", (), "C-12-1"),
    Product(
        "SOCK-WL",
        "Wool socks",
        Decimal("9.90"),
        "90 g",
        (("Color", ("Grey", "Navy", "Forest")), ("Size", ("S", "M", "L"))),
        "B-04-3",
    ),
    Product("TWL-TEA", "Tea towel", Decimal("8.50"), "3.5 oz", (), "B-02-1"),
    Product(
        "TSH-ORG",
        "Organic cotton T-shirt",
        Decimal("22.00"),
        "6 oz",
        (("Color", ("Blue", "White", "Black")), ("Size", ("S", "M", "L", "XL"))),
        "B-09-2",
    ),
    Product("CNDL-BW", "Beeswax candle", Decimal("14.00"), "0.4 lb", (("Scent", ("Honey", "Pine")),), "A-11-3"),
    Product("NTB-A5", "Dot-grid notebook A5", Decimal("11.00"), "250 g", (), "D-02-2"),
    Product("PEN-BRS", "Brass pen", Decimal("29.00"), "1.2 oz", (), "D-01-1"),
    Product("BWL-CER", "Ceramic bowl, set of 2", Decimal("34.00"), "1.4 kg", (("Glaze", ("Sand", "Slate")),), "C-03-4"),
    Product("GIFT-25", "Gift card $25 (by e-mail)", Decimal("25.00"), "", (), "", digital=True),
    Product("EBK-BREW", "E-book: Brewing at home", Decimal("9.99"), "", (), "", digital=True),
]
PHYSICAL = [product for product in PRODUCTS if not product.digital]
DIGITAL = [product for product in PRODUCTS if product.digital]


@dataclass(frozen=True)
class Country:
    code: str
    written: tuple[str, ...]  # how the Country column spells it: the code first, then names shops also export
    cities: tuple[tuple[str, str, str], ...]  # city, state, postal code
    streets: tuple[str, ...]  # with {n} for the house number
    phone: str  # with {n} for digits
    services: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


COUNTRIES = [
    Country(
        "US",
        ("US", "US", "US", "United States", "USA"),
        (
            ("Springfield", "IL", "62701"),
            ("Portland", "OR", "97205"),
            ("Austin", "TX", "78701"),
            ("Brooklyn", "NY", "11201"),
            ("Denver", "CO", "80202"),
            ("Madison", "WI", "53703"),
            ("Burlington", "VT", "05401"),
            ("Oakland", "CA", "94607"),
        ),
        ("{n} Main St", "{n} Oak Avenue", "{n} Elm Street", "{n} Lakeview Dr"),
        "+1 555 {n3} {n4}",
        ("USPS Priority Mail", "USPS Ground Advantage", "UPS Ground"),
        ("Grace", "Mei", "Olu", "Priya", "Noor", "Marcus", "Ana", "Sam"),
        ("Hopper", "Chen", "Okafor", "Patel", "Haddad", "Johnson", "García", "O'Neil"),
    ),
    Country(
        "CA",
        ("CA", "Canada"),
        (("Toronto", "ON", "M5V 2T6"), ("Vancouver", "BC", "V6B 1A1"), ("Montréal", "QC", "H2X 1Y4")),
        ("{n} King St W", "{n} rue Sainte-Catherine"),
        "+1 416 {n3} {n4}",
        ("Canada Post Expedited", "USPS Priority Mail International"),
        ("Chloé", "Liam", "Émilie", "Noah"),
        ("Tremblay", "Roy", "MacDonald", "Gagnon"),
    ),
    Country(
        "GB",
        ("GB", "United Kingdom"),
        (("London", "", "SW1A 1AA"), ("Manchester", "", "M1 1AE"), ("Edinburgh", "", "EH1 1YZ")),
        ("{n} High Street", "{n} Church Lane"),
        "+44 20 {n4} {m4}",
        ("Royal Mail Tracked 48", "DHL Express Worldwide"),
        ("Oliver", "Amelia", "Siobhan", "Rhys"),
        ("Smith", "Jones", "Ó Briain", "Davies"),
    ),
    Country(
        "DE",
        ("DE", "Germany", "Deutschland"),
        (("Berlin", "", "10115"), ("München", "", "80331"), ("Köln", "", "50667")),
        ("Hauptstraße {n}", "Schloßallee {n}"),
        "+49 30 {n4}{n3}",
        ("DHL Express Worldwide", "Standard International"),
        ("Jürgen", "Anja", "Lukas", "Söhnke"),
        ("Müller", "Schäfer", "Weiß", "Groß"),
    ),
    Country(
        "FR",
        ("FR", "France"),
        (("Paris", "", "75004"), ("Lyon", "", "69002"), ("Marseille", "", "13001")),
        ("{n} rue de Rivoli", "{n} avenue Jean-Jaurès"),
        "+33 1 {n4} {m4}",
        ("Standard International",),
        ("Amélie", "Benoît", "Hélène", "François"),
        ("Lefèvre", "Dubois", "Béranger", "Moreau"),
    ),
    Country(
        "DK",
        ("DK", "Denmark"),
        (("København", "", "1165"), ("Aarhus", "", "8000"), ("Odense", "", "5000")),
        ("Nørregade {n}", "Åboulevard {n}"),
        "+45 33 {n4}",
        ("DHL Express Worldwide", "Standard International"),
        ("Zoë", "Søren", "Mette", "Åse"),
        ("Ørsted", "Jørgensen", "Nielsen", "Kjær"),
    ),
    Country(
        "PL",
        ("PL", "Poland"),
        (("Gdańsk", "", "80-827"), ("Kraków", "", "31-042"), ("Łódź", "", "90-001")),
        ("ul. Długa {n}", "ul. Świętojańska {n}"),
        "+48 58 {n3} {n4}",
        ("Standard International",),
        ("Łukasz", "Małgorzata", "Paweł", "Zuzanna"),
        ("Żółw", "Wiśniewski", "Dąbrowska", "Kowalczyk"),
    ),
    Country(
        "ES",
        ("ES", "Spain"),
        (("Madrid", "", "28013"), ("Barcelona", "", "08002"), ("Sevilla", "", "41001")),
        ("Calle Mayor {n}", "Carrer de Mallorca {n}"),
        "+34 91 {n3} {n4}",
        ("Standard International",),
        ("José", "Lucía", "Begoña", "Íñigo"),
        ("Núñez", "Peña", "Muñoz", "Ibáñez"),
    ),
    Country(
        "AU",
        ("AU", "Australia"),
        (("Sydney", "NSW", "2000"), ("Melbourne", "VIC", "3000"), ("Brisbane", "QLD", "4000")),
        ("{n} George St", "{n} Collins Street"),
        "+61 2 {n4} {m4}",
        ("Australia Post International", "DHL Express Worldwide"),
        ("Charlotte", "Jack", "Aroha", "Mia"),
        ("Wilson", "Nguyen", "Taylor", "Brown"),
    ),
    Country(
        "JP",
        ("JP", "Japan"),
        (("Tokyo", "Tokyo", "100-0001"), ("Osaka", "Osaka", "530-0001"), ("Kyoto", "Kyoto", "600-8216")),
        ("1-{n}-3 Chiyoda", "2-{n}-8 Umeda"),
        "+81 3 {n4} {m4}",
        ("DHL Express Worldwide", "Standard International"),
        ("Yuki", "Haruto", "Sakura", "Ren"),
        ("Tanaka", "Satō", "Suzuki", "Itō"),
    ),
]
# The people every demo should show: their letters are what search folding is for.
FEATURED = [("Zoë Ørsted", "DK"), ("José Núñez", "ES"), ("Łukasz Żółw", "PL")]
COMPANIES = ("Café Núñez", "Acme Tools", "Nordlys ApS", "Huber & Söhne GmbH", "Blue Door Studio", "Kōbō Design")
NOTES = (
    "Leave with the neighbour if nobody is home.",
    "Please no plastic packaging.",
    "Ring the bell twice.\nThe dog is friendly.",
    "Delivery to the back door, please.",
    'Write "fragile" on the box.',
    "Birthday is on Friday — please ship quickly!",
)
GIFT_MESSAGES = (
    "Happy birthday! Love, Sam",
    "Congratulations on the new flat.",
    "Joyeux anniversaire !",
    "Feliz cumpleaños, José",
    "Wesołych Świąt!",
    "Thank you for everything.\n— Mette",
)
LINES_PER_ORDER = (1, 2, 3, 4, 5)
LINES_WEIGHTS = (40, 25, 15, 10, 10)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ł", "l").replace("ø", "o"))
    return decomposed.encode("ascii", "ignore").decode()


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _weight_cells(rng: random.Random, product: Product) -> tuple[str, str]:
    """Weight and Weight Unit: mostly in two columns, sometimes in one ("10 oz") as some shops export it."""
    if not product.weight:
        return "", ""
    value, unit = product.weight.split()
    return (product.weight, "") if rng.random() < 0.2 else (value, unit)


def _order_date(rng: random.Random, moment: datetime) -> str:
    form = rng.random()
    if form < 0.75:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if form < 0.9:
        return moment.strftime("%m/%d/%Y %I:%M %p")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _order_rows(rng: random.Random, number: int, moment: datetime, line_count: int) -> list[list[str]]:
    featured = rng.random() < 0.04
    if featured:
        name, code = rng.choice(FEATURED)
        country = next(country for country in COUNTRIES if country.code == code)
    else:
        country = COUNTRIES[0] if rng.random() < 0.55 else rng.choice(COUNTRIES[1:])
        name = f"{rng.choice(country.first_names)} {rng.choice(country.last_names)}"
    city, state, postal_code = rng.choice(country.cities)
    street = rng.choice(country.streets).format(n=rng.randint(1, 240))
    street2 = rng.choice(("Apt 4B", "2nd floor", "Unit 12", "c/o Reception")) if rng.random() < 0.15 else ""
    company = rng.choice(COMPANIES) if rng.random() < 0.15 else ""
    phone = (
        country.phone.format(n3=_digits(rng, 3), n4=_digits(rng, 4), m4=_digits(rng, 4)) if rng.random() < 0.7 else ""
    )
    email = f"{_ascii(name.split()[0])}{number % 97}@example.com" if rng.random() < 0.95 else ""
    if rng.random() < 0.025:  # an order the shop sent without an address: it must wait on hold
        street = street2 = city = state = postal_code = ""
    if rng.random() < 0.03:  # a gift card or an e-book alone: nothing to pack
        products = [rng.choice(DIGITAL)]
    else:
        products = rng.sample(PHYSICAL, min(line_count, len(PHYSICAL)))
        if line_count > 2 and rng.random() < 0.2:
            products[-1] = rng.choice(DIGITAL)
    gift = rng.random() < 0.1
    cells = {
        "Order #": str(number),
        "Order Date": _order_date(rng, moment),
        "Recipient": name,
        "Company": company,
        "Address 1": street,
        "Address 2": street2,
        "City": city,
        "State": state,
        "Postal Code": postal_code,
        "Country": rng.choice(country.written) if city else "",
        "Phone": phone,
        "Email": email,
        "Gift": "yes" if gift else rng.choice(("no", "", "No")),
        "Gift Message": rng.choice(GIFT_MESSAGES) if gift else "",
        "Customer Notes": rng.choice(NOTES) if rng.random() < 0.15 else "",
        "Requested Service": rng.choice(country.services),
    }
    quantities = [rng.choice((1, 1, 1, 2, 2, 3, 6)) for _ in products]
    subtotal = sum(
        (product.price * quantity for product, quantity in zip(products, quantities, strict=True)), Decimal(0)
    )
    shipping = Decimal(rng.choice(("0.00", "4.95", "7.50", "12.00", "24.00")))
    tax = (subtotal * Decimal("0.0725")).quantize(Decimal("0.01")) if country.code == "US" else Decimal("0.00")
    cells.update(
        {"Order Total": f"{subtotal + shipping + tax:.2f}", "Tax": f"{tax:.2f}", "Shipping Paid": f"{shipping:.2f}"}
    )
    rows = []
    for product, quantity in zip(products, quantities, strict=True):
        weight, unit = _weight_cells(rng, product)
        options = "; ".join(f"{option}: {rng.choice(values)}" for option, values in product.options)
        item = {
            "SKU": product.sku,
            "Item Name": product.name,
            "Quantity": str(quantity),
            "Unit Price": f"{product.price:.2f}",
            "Weight": weight,
            "Weight Unit": unit,
            "Options": options,
            "Warehouse Location": product.location,
            "Image URL": f"https://images.example.com/products/{product.sku.lower()}.jpg"
            if not product.digital
            else "",
            "Requires Shipping": "no" if product.digital else "yes",
        }
        rows.append([{**cells, **item}[heading] for heading in HEADINGS])
    return rows


def write_orders_csv(path: Path | str, lines: int, seed: int = 7) -> int:
    """Write `lines` item rows (plus the heading) of made-up orders to `path`; returns the number of orders."""
    rng = random.Random(seed)
    moment = datetime(2026, 11, 2, 8, 0)
    number = 1001
    written = 0
    with Path(path).open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(HEADINGS)
        while written < lines:
            line_count = min(rng.choices(LINES_PER_ORDER, LINES_WEIGHTS)[0], lines - written)
            rows = _order_rows(rng, number, moment, line_count)
            writer.writerows(rows)
            written += len(rows)
            number += 1
            moment += timedelta(minutes=rng.randint(1, 90))
    return number - 1001


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="file to write")
    parser.add_argument("--lines", type=int, default=DEMO_LINES, help="item rows to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--demo", action="store_true", help=f"rewrite {DEMO_PATH.name} in resources/")
    args = parser.parse_args()
    if args.demo:
        out, lines = DEMO_PATH, DEMO_LINES
    elif args.out is not None:
        out, lines = args.out, args.lines
    else:
        parser.error("give a file to write, or --demo")
    orders = write_orders_csv(out, lines, args.seed)
    print(f"wrote {lines:,} lines, {orders:,} orders to {out}")


if __name__ == "__main__":
    main()
