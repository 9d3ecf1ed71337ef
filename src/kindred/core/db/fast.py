"""Statements built once per process for the few hottest paths (encounter submission).

For a one-row INSERT or a lookup by key, most of what the ORM costs is building the SQL
again on every call (``bench/observe_cpu.py`` profiles it). These helpers build it once per
model and database and then only bind values:

- ``insert(obj)`` writes a new instance, as ``obj.save(force_insert=True)`` would: field
  ``pre_save`` (``auto_now_add``, defaults already set by ``__init__``), the same value
  preparation, the primary key read back with ``RETURNING``. When a ``pre_save`` or
  ``post_save`` receiver is connected for the model it simply calls ``save``, so signals
  are never skipped.
- ``columns(model, alias)`` and ``from_row(model, row, connection)`` let a hand-written
  SELECT of a model's own columns build instances with the ORM's converters (dates, JSON,
  booleans) and ``Model.from_db``, as a queryset would.

Everything else keeps using the ORM.
"""

from __future__ import annotations

from functools import cache

from django.db import connections, models, router
from django.db.models.signals import post_save, pre_save


@cache
def _insert_plan(model: type[models.Model], alias: str, vendor: str):
    connection = connections[alias]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and f.db_returning)]
    quote = connection.ops.quote_name
    # Only names from the model's own metadata, quoted; values are always bound.
    sql = "INSERT INTO {} ({}) VALUES ({}) RETURNING {}".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
        quote(meta.pk.column),
    )
    return sql, fields


def insert(obj: models.Model, *, using: str | None = None) -> models.Model:
    """INSERT ``obj`` (a new instance) and set its primary key; returns ``obj``."""
    model = type(obj)
    alias = using or router.db_for_write(model, instance=obj)
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        obj.save(force_insert=True, using=alias)
        return obj
    connection = connections[alias]
    sql, fields = _insert_plan(model, alias, connection.vendor)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = alias
    return obj


@cache
def _column_plan(model: type[models.Model], alias: str, vendor: str):
    connection = connections[alias]
    fields = list(model._meta.concrete_fields)
    converters = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append((column, found))
    return fields, [f.attname for f in fields], converters


def columns(model: type[models.Model], table_alias: str, alias: str = "default") -> str:
    """The model's columns, in the order ``from_row`` expects, for a hand-written SELECT."""
    connection = connections[alias]
    fields, _, _ = _column_plan(model, alias, connection.vendor)
    quote = connection.ops.quote_name
    return ", ".join(f"{table_alias}.{quote(f.column)}" for f in fields)


def width(model: type[models.Model]) -> int:
    """How many columns ``columns`` selects for ``model``."""
    return len(model._meta.concrete_fields)


def from_row(model: type[models.Model], row, alias: str = "default") -> models.Model:
    """An instance of ``model`` from the values ``columns`` selected (converted as the ORM
    converts them)."""
    connection = connections[alias]
    _, names, converters = _column_plan(model, alias, connection.vendor)
    values = []
    for value, (column, found) in zip(row, converters, strict=True):
        for converter in found:
            value = converter(value, column, connection)
        values.append(value)
    return model.from_db(alias, names, values)
