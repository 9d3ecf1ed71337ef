"""Statements built once per process for the few hottest paths (every signed-in request's
session and user, encounter submission, signatures).

For a one-row INSERT or a lookup by key, most of what the ORM costs is building the SQL
again on every call (``bench/observe_cpu.py`` profiles it). These helpers build it once per
model and database and then only bind values; on PostgreSQL the server also prepares each of
them once per connection (``cursor``, ``kindred.core.db.postgresql``):

- ``insert(obj)`` writes a new instance, as ``obj.save(force_insert=True)`` would: field
  ``pre_save`` (``auto_now_add``, defaults already set by ``__init__``), the same value
  preparation, the primary key read back with ``RETURNING``. When a ``pre_save`` or
  ``post_save`` receiver is connected for the model it simply calls ``save``, so signals
  are never skipped.
- ``draw_pks(*objs)`` and ``insert_all(*objs)`` write rows that refer to each other (a visit,
  its response, its alert, the audit entry) in two round trips on PostgreSQL: the primary
  keys come from the tables' sequences first, then one statement of data-modifying CTEs
  inserts every row, atomically without a transaction block (no BEGIN, no COMMIT).
  Elsewhere ``draw_pks`` returns False and the caller inserts one by one in a transaction.
  ``draw_columns`` and ``set_pks`` draw the keys inside a statement the caller runs anyway
  (the encounter API's family lookup): one round trip in all.
- ``get(model, pk)`` is ``model.objects.get(pk=pk)``; the user model's manager uses it.
- ``columns(model, alias)`` and ``from_row(model, row, connection)`` let a hand-written
  SELECT of a model's own columns build instances with the ORM's converters (dates, JSON,
  booleans) and ``Model.from_db``, as a queryset would.

Everything else keeps using the ORM.
"""

from __future__ import annotations

from functools import cache

from django.db import connections, models, router, transaction
from django.db.models.signals import post_save, pre_save


def cursor(connection):
    """A cursor for the statements built here: bound and prepared on the server where the
    backend offers it (``kindred.core.db.postgresql``), else Django's usual cursor."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()


def _has_receivers(model: type[models.Model]) -> bool:
    return pre_save.has_listeners(model) or post_save.has_listeners(model)


def _fields(model: type[models.Model], with_pk: bool) -> list:
    fields = model._meta.concrete_fields
    return [f for f in fields if with_pk or not (f.primary_key and f.db_returning)]


@cache
def _insert_plan(model: type[models.Model], alias: str, vendor: str, with_pk: bool):
    connection = connections[alias]
    meta = model._meta
    fields = _fields(model, with_pk)
    quote = connection.ops.quote_name
    # Only names from the model's own metadata, quoted; values are always bound.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    return sql, fields, f" RETURNING {quote(meta.pk.column)}"


@cache
def _insert_one_plan(model: type[models.Model], alias: str, vendor: str, with_pk: bool):
    sql, fields, returning = _insert_plan(model, alias, vendor, with_pk)
    return (sql if with_pk else sql + returning), fields


def _params(obj: models.Model, fields: list, connection) -> list:
    return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]


def _stored(obj: models.Model, alias: str) -> None:
    obj._state.adding = False
    obj._state.db = alias


def insert(obj: models.Model, *, using: str | None = None) -> models.Model:
    """INSERT ``obj`` (a new instance) and set its primary key; returns ``obj``.

    A primary key already set (``draw_pks``) is written as it is."""
    model = type(obj)
    alias = using or router.db_for_write(model, instance=obj)
    if _has_receivers(model):
        obj.save(force_insert=True, using=alias)
        return obj
    connection = connections[alias]
    with_pk = obj.pk is not None
    sql, fields = _insert_one_plan(model, alias, connection.vendor, with_pk)
    params = _params(obj, fields, connection)
    with cursor(connection) as found:
        found.execute(sql, params)
        if not with_pk:
            obj.pk = found.fetchone()[0]
    _stored(obj, alias)
    return obj


def _alias(objs) -> str:
    aliases = {router.db_for_write(type(obj), instance=obj) for obj in objs}
    if len(aliases) != 1:
        raise ValueError("draw_pks and insert_all take instances of one database")
    return aliases.pop()


@cache
def _draw_plan(models_: tuple[type[models.Model], ...]) -> tuple[str, list[str]]:
    columns = ", ".join(["nextval(pg_get_serial_sequence(%s, %s))"] * len(models_))
    params = [name for m in models_ for name in (m._meta.db_table, m._meta.pk.column)]
    return columns, params


def _check_new(objs) -> None:
    if any(obj.pk is not None or not obj._meta.pk.db_returning for obj in objs):
        raise ValueError("keys are drawn only for new instances with an automatic primary key")


def draw_pks(*objs: models.Model, using: str | None = None) -> bool:
    """PostgreSQL: give each new instance its primary key from its table's sequence, all in
    one round trip, so that rows referring to each other can be linked before ``insert_all``
    writes them together. Elsewhere (SQLite has no sequences) nothing is drawn: False."""
    alias = using or _alias(objs)
    connection = connections[alias]
    if connection.vendor != "postgresql" or not objs:
        return False
    _check_new(objs)
    columns, params = _draw_plan(tuple(type(obj) for obj in objs))
    with cursor(connection) as found:
        found.execute(f"SELECT {columns}", params)
        row = found.fetchone()
    for obj, pk in zip(objs, row, strict=True):
        obj.pk = pk
    return True


def draw_columns(*models_: type[models.Model], using: str = "default"):
    """PostgreSQL: ``(select list, params)`` that draws one new primary key per model, for a
    statement the caller runs anyway (``draw_pks`` without a round trip of its own); the
    params come before the statement's own. None elsewhere."""
    if connections[using].vendor != "postgresql" or not models_:
        return None
    return _draw_plan(models_)


def set_pks(objs, pks) -> None:
    """Give new instances the primary keys ``draw_columns`` drew for their models."""
    _check_new(objs)
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk


@cache
def _insert_all_plan(shape: tuple[tuple[type[models.Model], bool], ...], alias: str, vendor: str):
    plans = [_insert_plan(model, alias, vendor, with_pk) for model, with_pk in shape]
    ctes = ", ".join(f"q{n} AS ({sql}{returning})" for n, (sql, _, returning) in enumerate(plans))
    # Only names from the models' metadata and our own CTE names; values are always bound.
    pks = ", ".join(f"(SELECT * FROM q{n})" for n in range(len(plans)))  # noqa: S608
    return f"WITH {ctes} SELECT {pks}", [fields for _, fields, _ in plans]


def insert_all(*objs: models.Model, using: str | None = None) -> None:
    """INSERT every instance, all or none, and set the primary keys not set already.

    On PostgreSQL without save receivers that is one statement of data-modifying CTEs,
    atomic by itself: no transaction block, so no BEGIN and COMMIT round trips. Rows that
    refer to each other need their keys first (``draw_pks``). Elsewhere it is one insert
    each, in a transaction."""
    alias = using or _alias(objs)
    connection = connections[alias]
    shape = tuple((type(obj), obj.pk is not None) for obj in objs)
    if connection.vendor != "postgresql" or any(_has_receivers(m) for m, _ in shape):
        with transaction.atomic(using=alias):
            for obj in objs:
                insert(obj, using=alias)
        return
    sql, field_lists = _insert_all_plan(shape, alias, connection.vendor)
    params = []
    for obj, fields in zip(objs, field_lists, strict=True):
        params += _params(obj, fields, connection)
    with cursor(connection) as found:
        found.execute(sql, params)
        pks = found.fetchone()
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        _stored(obj, alias)


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


@cache
def _get_plan(model: type[models.Model], alias: str, vendor: str) -> str:
    quote = connections[alias].ops.quote_name
    # Names from the model's metadata, quoted; the key is bound.
    return (
        f"SELECT {columns(model, 't', alias)} FROM {quote(model._meta.db_table)} t"  # noqa: S608
        f" WHERE t.{quote(model._meta.pk.column)} = %s"
    )


def get(model: type[models.Model], pk, *, using: str | None = None) -> models.Model:
    """``model.objects.get(pk=pk)`` with a statement built once per process (and prepared,
    on PostgreSQL): ``DoesNotExist`` if there is no such row, the ORM's error for a key of the
    wrong kind."""
    alias = using or router.db_for_read(model)
    connection = connections[alias]
    value = model._meta.pk.get_db_prep_value(pk, connection)
    with cursor(connection) as found:
        found.execute(_get_plan(model, alias, connection.vendor), [value])
        row = found.fetchone()
    if row is None:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    return from_row(model, row, alias)
