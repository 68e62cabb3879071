"""Import of a WordPress blog from its WXR export (``manage.py acupuncture_import_wordpress``).

One module per role: :mod:`.wxr` reads the export (streaming, hardened), :mod:`.gutenberg`
parses block comments, :mod:`.mapping` turns blocks and classic HTML into the article body's
blocks, :mod:`.media` fetches and stores images, :mod:`.importer` writes pages, practitioners,
treatments and redirects, :mod:`.report` prints and writes what was done, :mod:`.views` is the
admin upload view. See docs/wordpress-import.md.
"""
