"""Placeholder images drawn with Pillow: no downloads, same bytes on every run."""

import io

from PIL import Image, ImageDraw, ImageFont


def _rgb(hex_color):
    hex_color = hex_color.lstrip("#")
    return tuple(int(hex_color[i : i + 2], 16) for i in (0, 2, 4))


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: fixed-size bitmap font
        return ImageFont.load_default()


def placeholder_jpeg(width, height, colors, label="Demo image"):
    """A JPEG of ``width`` x ``height``: a diagonal gradient from ``colors[1]`` (light, top right)
    to ``colors[0]`` (dark), a few rings and ``label`` in the top left corner."""
    dark, light = (_rgb(c) for c in colors)
    vertical = Image.linear_gradient("L").resize((width, height))
    horizontal = Image.linear_gradient("L").rotate(90).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    mask = Image.blend(vertical, horizontal.resize((width, height)), 0.5)  # light top right
    image = Image.composite(
        Image.new("RGB", (width, height), dark), Image.new("RGB", (width, height), light), mask
    )

    draw = ImageDraw.Draw(image)
    unit = min(width, height)
    for n, (cx, cy, r) in enumerate(((0.72, 0.38, 0.34), (0.28, 0.7, 0.22), (0.86, 0.82, 0.12))):
        x, y, radius = cx * width, cy * height, r * unit
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius),
            outline=light if n % 2 == 0 else dark,
            width=max(2, unit // 90),
        )
    margin = unit // 24
    draw.text((margin, margin), label, fill=dark, font=_font(max(12, unit // 16)), anchor="la")

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def placeholder_logo_png(width, height, colors):
    """A PNG logo mark of ``width`` x ``height``: a ring and a dot in ``colors[0]`` on a
    transparent background (the site prints the clinic's name beside it)."""
    dark = _rgb(colors[0])
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = min(width, height)
    cx, cy, radius = width / 2, height / 2, unit * 0.42
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=dark, width=unit // 9)
    dot = unit * 0.15
    draw.ellipse((cx - dot, cy - dot, cx + dot, cy + dot), fill=dark)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
