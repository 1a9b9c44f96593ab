"""ZPL II jobs read back command by command: fields inside ^PW/^LL, barcode data and module widths, and
^GFA graphics rebuilt into the bitmap they carry and scanned.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from dataclasses import dataclass, field

import pytest
from PIL import Image, ImageChops

from shipdesk.domain import Address, LabelSize
from shipdesk.printing.label_formats import render_label, render_provider_pdf
from shipdesk.printing.label_layout import label_layout
from shipdesk.printing.label_pdf import render_labels_pdf
from shipdesk.printing.layout import Barcode, BarcodeKind, Layout, TextBlock
from shipdesk.printing.layout import Image as ImageElement
from shipdesk.printing.raster import place_barcode, render_raster
from shipdesk.printing.tuning import PrintTuning
from shipdesk.printing.zpl import image_to_zpl, layout_to_zpl
from tests.printing.scanning import needs_zbar, zbar_scan
from tests.printing.test_label_pdf import LONG, UPS_LIKE, USPS_LIKE, make_label

KNOWN = {"XA", "XZ", "CI", "PW", "LL", "LH", "FO", "A0", "FB", "FR", "FH", "FD", "FS", "GB", "GF", "BY", "BC"}
KNOWN |= {"BQ", "B7", "BX", "PQ"}


@dataclass
class Field:
    x: int
    y: int
    commands: dict[str, str] = field(default_factory=dict)


@dataclass
class Label:
    width: int
    height: int
    fields: list[Field]
    settings: dict[str, str]


def parse(job: bytes) -> Label:
    """A ZPL label as its fields; fails on any command this test does not know, or one outside a field."""
    text = job.decode("utf-8")
    assert text.startswith("^XA") and text.rstrip().endswith("^XZ")
    commands = re.findall(r"\^(..)([^^]*)", text)
    settings: dict[str, str] = {}
    fields: list[Field] = []
    current: Field | None = None
    pending: dict[str, str] = {}
    for name, params in commands:
        params = params.rstrip("\n")
        assert name in KNOWN, f"unexpected command ^{name}"
        if name == "FO":
            x, y = (int(value) for value in params.split(","))
            current = Field(x, y, dict(pending))
            pending = {}
        elif name == "FS":
            assert current is not None
            fields.append(current)
            current = None
        elif current is not None:
            current.commands[name] = params
        elif name == "BY":
            pending[name] = params  # ^BY sets the module for the next barcode field
        else:
            settings[name] = params
    assert current is None, "a field was not closed with ^FS"
    return Label(int(settings["PW"]), int(settings["LL"]), fields, settings)


def extent(item: Field) -> tuple[int, int]:
    """How far right and down a field reaches, from its own parameters."""
    commands = item.commands
    if "A0" in commands:
        height = int(commands["A0"].split(",")[1])
        return item.x + int(commands["FB"].split(",")[0]), item.y + height
    if "GB" in commands:
        width, height = (int(value) for value in commands["GB"].split(",")[:2])
        return item.x + width, item.y + height
    if "GF" in commands:
        _, _, total, row_bytes = commands["GF"].split(",")[:4]
        return item.x + int(row_bytes) * 8, item.y + int(total) // int(row_bytes)
    if "BC" in commands:
        return item.x, item.y + int(commands["BC"].split(",")[1])
    return item.x, item.y


def test_a_native_label_is_small_utf_8_and_every_field_is_inside_the_label() -> None:
    job = render_label(make_label(USPS_LIKE), LabelSize.FOUR_BY_SIX, "zpl", 203)
    assert len(job) < 4096
    label = parse(job)
    assert label.settings["CI"] == "28"
    assert (label.width, label.height) == (812, 1218)
    for item in label.fields:
        right, bottom = extent(item)
        assert item.x >= 0 and right <= label.width and item.y >= 0 and bottom <= label.height, item
    data = [item.commands["FD"] for item in label.fields if "FD" in item.commands]
    for part in ("Zoë Ørsted", "Mountain View CA 94043", "OTHER / OWN COURIER · STANDARD", "100234", USPS_LIKE):
        assert part in data


@pytest.mark.parametrize(("number", "dpi"), [(USPS_LIKE, 203), (UPS_LIKE, 203), (UPS_LIKE, 300)])
def test_the_code_128_field_has_the_tracking_number_on_the_raster_module_and_place(number: str, dpi: int) -> None:
    layout = label_layout(make_label(number))
    label = parse(layout_to_zpl(layout, dpi))
    [barcode] = [item for item in label.fields if "BC" in item.commands]
    assert barcode.commands["FD"] == number
    assert barcode.commands["BC"].split(",")[-1] == "A"  # automatic code sets, as reportlab picks them
    [element] = [e for e in layout.elements if isinstance(e, Barcode)]
    placed = place_barcode(element, dpi)
    module, _, height = (int(value) for value in barcode.commands["BY"].split(","))
    assert (barcode.x, barcode.y, module, height) == (placed.left, placed.top, placed.module, placed.bar_height)
    assert placed.module == {(USPS_LIKE, 203): 4, (UPS_LIKE, 203): 3, (UPS_LIKE, 300): 5}[(number, dpi)]
    assert (label.width, label.height) == ((812, 1218) if dpi == 203 else (1200, 1800))


def test_the_banner_text_is_reversed_white_on_its_black_box() -> None:
    label = parse(render_label(make_label(), LabelSize.FOUR_BY_SIX, "zpl", 203))
    [banner] = [item for item in label.fields if item.commands.get("FD") == "OTHER / OWN COURIER · STANDARD"]
    assert "FR" in banner.commands
    boxes = [item for item in label.fields if "GB" in item.commands]
    filled = [b for b in boxes if int(b.commands["GB"].split(",")[2]) == min(map(int, b.commands["GB"].split(",")[:2]))]
    assert any(b.x <= banner.x and b.y <= banner.y <= b.y + int(b.commands["GB"].split(",")[1]) for b in filled)


def test_carets_and_tildes_in_a_name_cannot_start_a_command() -> None:
    name = "Ann ^XZ ~JA Lee_1"
    job = render_label(make_label(recipient=Address(name=name, city="Boston")), LabelSize.FOUR_BY_SIX, "zpl", 203)
    assert "~JA" not in job.decode()
    [item] = [item for item in parse(job).fields if "Ann" in item.commands.get("FD", "")]
    assert item.commands["FH"] == "_"
    assert re.sub("_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), item.commands["FD"]) == name


# In a ^FB block: an escaped backslash, a line break (\\& or CR/LF), a soft hyphen, or one character.
FIELD_BLOCK_TOKEN = re.compile(r"\\\\|\\&|\r\n|[\r\n]|\\[0-9A-Za-z]|.", re.DOTALL)


def printed_lines(item: Field) -> list[str]:
    """The lines a Zebra prints for a text field in a ^FB block: ^FH hex undone, then the block's own escapes."""
    data = re.sub("_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), item.commands["FD"])
    lines = [""]
    for token in FIELD_BLOCK_TOKEN.findall(data):
        if token == "\\\\":
            lines[-1] += "\\"
        elif token in ("\\&", "\r\n", "\r", "\n"):
            lines.append("")
        elif len(token) == 1:
            lines[-1] += token
        # else a soft hyphen, printed only where the block wraps a line
    return lines


def test_a_text_field_prints_on_the_one_line_of_its_block_whatever_breaks_or_backslashes_it_holds() -> None:
    text = "Acme\r\nWarehouse 2\nApt 4\\5 \\& B \\\\ C"
    layout = Layout(101.6, 20, (TextBlock(2, 2, 97.6, text, 10),))

    [item] = parse(layout_to_zpl(layout, 203)).fields

    assert item.commands["FB"].split(",")[1] == "1"  # one line: more would print over it
    assert printed_lines(item) == ["Acme Warehouse 2 Apt 4\\5 \\& B \\\\ C"]


def test_a_very_long_label_stays_inside_the_label() -> None:
    for size in (LabelSize.FOUR_BY_SIX, LabelSize.FOUR_BY_FOUR, LabelSize.A6):
        label = parse(render_label(LONG, size, "zpl", 203))
        for item in label.fields:
            right, bottom = extent(item)
            assert right <= label.width and bottom <= label.height, (size, item)


@pytest.mark.parametrize(
    ("kind", "value", "command", "data"),
    [
        (BarcodeKind.QR, "https://t.example/1Z", "BQ", "MA,https://t.example/1Z"),
        (BarcodeKind.PDF417, "1Z999AA10123456784", "B7", "1Z999AA10123456784"),
        (BarcodeKind.DATAMATRIX, "ORDER 100234", "BX", "ORDER 100234"),
        (BarcodeKind.GS1_128, "(420)94043(92)612345678901234567890", "BC", "(420)94043(92)612345678901234567890"),
    ],
)
def test_2d_and_gs1_barcodes_are_native_fields(kind: BarcodeKind, value: str, command: str, data: str) -> None:
    layout = Layout(101.6, 60, (Barcode(5, 5, 91.6, 50, value, kind),))
    [item] = parse(layout_to_zpl(layout, 203)).fields
    assert command in item.commands and item.commands["FD"] == data
    placed = place_barcode(layout.elements[0], 203)  # type: ignore[arg-type]
    magnification = {"BQ": 2, "BX": 1, "B7": None, "BC": None}[command]
    if magnification is not None:
        assert int(item.commands[command].split(",")[magnification]) == placed.module
    else:
        assert int(item.commands["BY"].split(",")[0]) == placed.module
    if kind is BarcodeKind.GS1_128:
        assert item.commands["BC"].endswith(",D")  # UCC/EAN mode: FNC1 first, (AI) left out of the bars


# ----------------------------------------------------------------------------- ^GFA: the label as one graphic


def rebuild_graphic(graphic: str) -> Image.Image:
    """The bitmap a ^GFA field carries, checked for consistent counts and CRC; 1 bits are black."""
    kind, binary_count, total, row_bytes, data = graphic.split(",", 4)
    assert kind == "A" and binary_count == total
    total_bytes, width_bytes = int(total), int(row_bytes)
    if data.startswith(":Z64:"):
        encoded, crc = data[5:].split(":")
        assert int(crc, 16) == binascii.crc_hqx(encoded.encode(), 0)
        bits = zlib.decompress(base64.b64decode(encoded))
    else:
        assert re.fullmatch("[0-9A-F]*", data)
        bits = bytes.fromhex(data)
    assert len(bits) == total_bytes and total_bytes % width_bytes == 0
    image = Image.frombytes("1", (width_bytes * 8, total_bytes // width_bytes), bits)
    return ImageChops.invert(image.convert("L")).convert("1")  # ZPL's 1 is black, Pillow's 0 is


@needs_zbar
@pytest.mark.parametrize("z64", [False, True], ids=["hex", "z64"])
def test_the_gfa_graphic_rebuilds_into_exactly_the_raster_and_scans(z64: bool) -> None:
    raster = render_raster(label_layout(make_label(UPS_LIKE)), 203)
    job = image_to_zpl(raster, z64=z64)
    [item] = parse(job).fields
    rebuilt = rebuild_graphic(item.commands["GF"])
    assert rebuilt.size == (816, 1218)  # rows are whole bytes: 812 dots padded to 816
    assert ImageChops.difference(rebuilt.crop((0, 0, 812, 1218)).convert("L"), raster.convert("L")).getbbox() is None
    assert rebuilt.crop((812, 0, 816, 1218)).convert("L").getextrema() == (255, 255)  # the padding prints nothing
    assert zbar_scan(rebuilt) == [UPS_LIKE]
    assert len(job) < (20_000 if z64 else 250_000)


def test_in_the_graphic_a_1_bit_is_a_black_dot() -> None:
    image = Image.new("1", (8, 1), 1)
    image.putpixel((0, 0), 0)
    assert image_to_zpl(image, z64=False).decode().count("^GFA,1,1,1,80") == 1


@needs_zbar
def test_a_provider_pdf_becomes_one_graphic_label_per_page_that_scans() -> None:
    pdf = render_labels_pdf([make_label(UPS_LIKE), make_label(USPS_LIKE)])
    jobs = list(render_provider_pdf(pdf, "zpl", 203, LabelSize.FOUR_BY_SIX))
    scans = []
    for job in jobs:
        label = parse(job)
        assert (label.width, label.height) == (812, 1218)
        [item] = label.fields
        scans.append(zbar_scan(rebuild_graphic(item.commands["GF"])))
    assert scans == [[UPS_LIKE], [USPS_LIKE]]


def test_an_image_element_is_placed_as_a_graphic_field_at_its_origin() -> None:
    logo = Image.new("L", (100, 50), 0)
    layout = Layout(101.6, 50, (ImageElement(10, 5, 20, 10, logo),))
    [item] = parse(layout_to_zpl(layout, 203)).fields
    assert (item.x, item.y) == (80, 40)
    rebuilt = rebuild_graphic(item.commands["GF"])
    assert rebuilt.size == (160, 80)
    assert rebuilt.convert("L").getextrema() == (0, 0)  # all black, no distortion needed: 2:1 into 2:1


@pytest.mark.parametrize(
    ("tuning", "darkness", "speed"),
    [
        (PrintTuning(darkness=22, speed=5), "~SD22", "^PR5"),
        (PrintTuning(darkness=45, speed=20), "~SD30", "^PR14"),  # saved before settings were checked
        (PrintTuning(darkness=-1, speed=0), "~SD00", "^PR1"),
    ],
)
def test_the_profiles_darkness_and_speed_are_sent_within_what_zpl_takes(
    tuning: PrintTuning, darkness: str, speed: str
) -> None:
    lines = render_label(make_label(), LabelSize.FOUR_BY_SIX, "zpl", 203, tuning=tuning).decode().splitlines()
    assert lines[2:4] == [darkness, speed]
