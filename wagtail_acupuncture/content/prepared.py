"""Querysets compiled once per process and run again with new values.

Building and compiling a Django query costs far more than the database takes to answer the
small queries of a page or an API response (0.3-1.5 ms each, against microseconds). A
:class:`PreparedQuery` wraps a function that builds a queryset from its arguments; the first
call of each *shape* (the static keyword arguments, the types of the values and the lengths of
list arguments, rounded up to a power of two) on each database builds it with placeholder
values, compiles it and keeps the SQL with the positions of the placeholders among its
parameters. Later calls put their values in those positions and hand the SQL to Django's own
iterable, which turns the rows into objects as for any queryset, on the database the routers
choose.

The builder must depend on its arguments only (no clock, no settings read at call time) and
use each argument as a plain value (``=``, ``IN``, ``__startswith``; a list only with ``IN``):
a shape whose placeholders do not come out as parameters, one by one, is not prepared and
always runs as a plain queryset. Preparing is an optimisation only: the results are those of
``list(build(*args, **static))``.
"""

import copy
import threading

from django.db import connections, router

#: Shapes kept per prepared query; beyond it, the oldest go.
MAX_SHAPES = 128

_NOT_PREPARED = object()


def _stand_in(value, n):
    """The ``n``-th placeholder, of ``value``'s type (ints and strings only)."""
    if isinstance(value, bool):
        raise TypeError("booleans cannot be prepared")
    if isinstance(value, int):
        return 1_987_000_000 + n
    if isinstance(value, str):
        return f"\x1facupuncture-placeholder-{n}\x1f"
    raise TypeError(f"cannot prepare a {type(value).__name__} argument")


def _flatten(args):
    """``(shape, values)``: each argument's kind, length and value types, and every plain value
    in order.

    A list is padded to the next power of two by repeating its last value (``IN`` answers the
    same), so that a handful of shapes serve lists of any length.
    """
    shape, values = [], []
    for arg in args:
        if isinstance(arg, (list, tuple, set, frozenset)):
            items = list(arg)
            if items:
                items += [items[-1]] * ((1 << (len(items) - 1).bit_length()) - len(items))
            shape.append(("list", len(items), frozenset(map(type, items))))
            values.extend(items)
        else:
            shape.append(("value", 1, type(arg)))
            values.append(arg)
    return tuple(shape), values


def _rebuild(shape, values):
    args, position = [], 0
    for kind, length, _types in shape:
        if kind == "list":
            args.append(values[position : position + length])
            position += length
        else:
            args.append(values[position])
            position += 1
    return args


class PreparedQuery:
    """``build(*args, **static)`` compiled once per shape and database, run with new ``args``.

    ``args`` are ints, strings or lists of them (an empty list, or a value of another type, runs
    the plain queryset);
    ``static`` keyword arguments (models, field names, a ``Q`` of constants) are part of the
    shape; one that cannot be hashed (a ``Q`` holding a subquery) runs the plain queryset.
    """

    def __init__(self, build):
        self.build = build
        self._shapes = {}
        self._lock = threading.Lock()

    def __call__(self, *args, **static):
        """The rows of ``build(*args, **static)``, as a list, read from the database the
        routers choose for the queryset (as the plain queryset would)."""
        def plain(using=None):
            return list(self.build(*args, **static).using(using))

        shape, values = _flatten(args)
        if any(kind == "list" and not length for kind, length, _types in shape):
            return plain()
        key = (shape, _key(static))
        try:
            known = self._shapes.get(key)
        except TypeError:  # a static argument that cannot be hashed: not prepared
            return plain()
        if known is None:
            template = self.build(*args, **static)
            known = _Shape(template.model, template._hints, template._db)
            with self._lock:
                if len(self._shapes) >= MAX_SHAPES:
                    self._shapes.pop(next(iter(self._shapes)))
                self._shapes[key] = known
        using = known.db or router.db_for_read(known.model, **known.hints)
        connection = connections[using]
        database = (using, connection.vendor, connection.settings_dict.get("NAME"))
        entry = known.compiled.get(database)
        if entry is None:
            entry = known.compiled[database] = self._prepare(shape, values, static, using)
        if entry is _NOT_PREPARED:
            return plain(using)
        queryset, compiler, sql, params, slots = entry
        params = list(params)
        for position, index, prefix in slots:
            value = values[index]
            params[position] = f"{connection.ops.prep_for_like_query(value)}%" if prefix else value
        return _run(queryset, compiler, sql, tuple(params), using)

    def _prepare(self, shape, values, static, using):
        """``(queryset, compiler, sql, params, slots)`` of a shape, or ``_NOT_PREPARED``."""
        try:
            stand_ins = [_stand_in(value, n) for n, value in enumerate(values)]
        except TypeError:
            return _NOT_PREPARED
        try:
            queryset = self.build(*_rebuild(shape, stand_ins), **static).using(using)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
        except Exception:  # placeholders the lookups refuse, an empty result set and the like
            return _NOT_PREPARED
        index_of = {value: index for index, value in enumerate(stand_ins)}
        prefixes = {
            f"{value}%": index for index, value in enumerate(stand_ins) if isinstance(value, str)
        }
        slots, found = [], set()
        for position, param in enumerate(params):
            if isinstance(param, bool) or not isinstance(param, (int, str)):
                continue
            if param in index_of:
                slots.append((position, index_of[param], False))
                found.add(stand_ins[index_of[param]])
            elif param in prefixes:  # a __startswith lookup: LIKE 'value%'
                slots.append((position, prefixes[param], True))
                found.add(stand_ins[prefixes[param]])
        if found != set(stand_ins) or any(
            isinstance(value, str) and value in sql for value in stand_ins
        ):
            return _NOT_PREPARED
        return queryset, compiler, sql, tuple(params), tuple(slots)


class _Shape:
    """What is known of one shape: the queryset's model, routing hints and database (when the
    builder names one), and its compiled form per database (``(alias, vendor, name)``)."""

    __slots__ = ("model", "hints", "db", "compiled")

    def __init__(self, model, hints, db):
        self.model, self.hints, self.db, self.compiled = model, hints, db, {}


def _key(static):
    return tuple(sorted(static.items())) if static else ()


def _run(queryset, compiler, sql, params, using):
    """Rows of ``queryset`` answered by ``sql`` and ``params`` through Django's iterable."""
    run_compiler = copy.copy(compiler)
    run_compiler.connection = connections[using]
    run_compiler.as_sql = lambda *args, **kwargs: (sql, params)
    clone = queryset._chain()
    clone.query.get_compiler = lambda *args, **kwargs: run_compiler
    return list(clone)


@PreparedQuery
def _in_bulk_query(ids, *, model):
    """``model``'s objects with the primary keys ``ids``."""
    return model.objects.filter(pk__in=ids).order_by()


def in_bulk(model, ids):
    """``model.objects.in_bulk(ids)`` for integer ids, with a prepared query."""
    ids = sorted(set(ids))
    return {obj.pk: obj for obj in _in_bulk_query(ids, model=model)} if ids else {}
