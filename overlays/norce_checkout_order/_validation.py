"""Check what a caller passes against the generated models before sending.

The models come from datamodel-code-generator (msgspec structs), so a field
added to the spec is validated here after regeneration alone: nothing in this
module names a schema's fields.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any, TypeVar

import msgspec

from ._exceptions import ValidationError

T = TypeVar("T")

# msgspec ends a message with the path of the bad value: "... - at `$.a[0]`".
_AT_PATH = re.compile(r" - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`$")
_UNKNOWN_FIELD = re.compile(r"Object contains unknown field `(?P<key>[^`]*)`")
_PATH_STEP = re.compile(r"\.(?P<key>[^.\[]+)|\[(?P<index>\d+)\]")


def validate(model: type[T], value: object, *, name: str) -> T:
    """Return ``value`` as a checked ``model``, or raise a ValidationError.

    ``model`` is a generated struct or enum; ``value`` is an instance of it,
    or for a struct a mapping shaped like the spec's JSON, for an enum its
    value.
    An enum given in another case (the vendor's own examples send
    ``"type": "Person"``) is accepted when it matches exactly one member.
    """
    if not (
        isinstance(value, model | Mapping) or not issubclass(model, msgspec.Struct)
    ):
        message = (
            f"`{name}` must be a {model.__name__} or a dict shaped like its JSON; "
            f"got {type(value).__name__}."
        )
        raise ValidationError(message, field=name)

    # Structs are not checked when built, and msgspec.convert passes a struct
    # found inside a dict through unchecked: plain builtins first, so that
    # every level is checked against the spec's types, patterns and enums.
    data = _builtins(value, name=name)
    try:
        return msgspec.convert(data, model)
    except msgspec.ValidationError as error:
        # The slow path runs only for input that failed as given.
        folded = _fold_enum_case(data, msgspec.inspect.type_info(model))
        if folded is data:
            raise _explain(error, model, data, name) from None
    try:
        return msgspec.convert(folded, model)
    except msgspec.ValidationError as error:
        raise _explain(error, model, folded, name) from None


def _plain(value: Any) -> Any:
    """Subclasses of str, int and float (a template engine's safe string) as
    their plain values; anything else JSON cannot carry is refused."""
    # The base types' own conversions copy the value; str() and int() would
    # call an override of __str__ or __int__ instead.
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    message = f"Encoding objects of type {type(value).__name__} is unsupported"
    raise TypeError(message)


def _builtins(value: Any, *, name: str) -> Any:
    """``value`` as JSON-ready builtins, or a ValidationError naming ``name``."""
    try:
        return msgspec.to_builtins(value, enc_hook=_plain)
    except TypeError as exc:
        message = f"`{name}` holds a value that JSON cannot carry: {exc}."
        raise ValidationError(message, field=name) from None
    except RecursionError:
        message = f"`{name}` is nested too deeply to send (or refers to itself)."
        raise ValidationError(message, field=name) from None


def _explain(
    error: msgspec.ValidationError, model: type[Any], data: Any, name: str
) -> ValidationError:
    """A ValidationError naming the field, its value and what it must be."""
    text = str(error)
    match = _AT_PATH.search(text)
    path = match.group("path") if match else ""
    reason = text[: match.start()] if match else text
    where = name + path

    unknown = _UNKNOWN_FIELD.fullmatch(reason)
    if unknown:
        # Name the stray key itself, not the whole object around it.
        message = (
            f"`{where}.{unknown.group('key')}` is not a field of the spec; "
            "remove it or correct its spelling (fields are camelCase JSON names)."
        )
        return ValidationError(message, field=f"{where}.{unknown.group('key')}")

    if match and match.group("key"):
        message = f"Invalid key in `{where}`: {reason}. Keys must be strings."
        return ValidationError(message, field=where)

    value = _lookup(data, path)
    shown = "" if value is _MISSING else f" (got {_short_repr(value)})"
    enum = _enum_at(model, path)
    if enum is not None:
        allowed = ", ".join(repr(member.value) for member in enum)
        reason = f"must be one of {allowed}"
    message = f"Invalid `{where}`{shown}: {reason}. Fix that value and call again."
    return ValidationError(message, field=where)


def _enum_at(model: type[Any], path: str) -> type[Enum] | None:
    """The enum type found at ``path`` in ``model``, if that is one."""
    info: msgspec.inspect.Type = msgspec.inspect.type_info(model)
    for step in _PATH_STEP.finditer(path):
        info, key = _unwrap(info), step.group("key")
        if key is None and isinstance(info, msgspec.inspect.ListType):
            info = info.item_type
        elif key is not None and isinstance(info, msgspec.inspect.StructType):
            fields = {f.encode_name: f.type for f in info.fields}
            if key not in fields:
                return None
            info = fields[key]
        else:
            return None
    info = _unwrap(info)
    return info.cls if isinstance(info, msgspec.inspect.EnumType) else None


def _unwrap(info: msgspec.inspect.Type) -> msgspec.inspect.Type:
    """Strip ``Annotated`` metadata (msgspec already drops ``| UnsetType``)."""
    return info.type if isinstance(info, msgspec.inspect.Metadata) else info


_MISSING = object()
_REPR_LIMIT = 80


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _REPR_LIMIT else text[: _REPR_LIMIT - 3] + "..."


def _lookup(data: Any, path: str) -> Any:
    """The value at a msgspec path such as ``.items[0].quantity``, if any."""
    for step in _PATH_STEP.finditer(path):
        key, index = step.group("key"), step.group("index")
        try:
            data = data[int(index)] if index is not None else data[key]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return data


def _fold_enum_case(data: Any, info: msgspec.inspect.Type) -> Any:
    """``data`` with enum strings put in the spec's case, where unambiguous.

    Returns ``data`` itself when nothing changed, so the caller can tell.
    """
    info = _unwrap(info)
    if isinstance(info, msgspec.inspect.EnumType) and isinstance(data, str):
        members = [member.value for member in info.cls]
        matches = [m for m in members if str(m).casefold() == data.casefold()]
        return matches[0] if len(matches) == 1 and matches[0] != data else data

    if isinstance(info, msgspec.inspect.StructType) and isinstance(data, Mapping):
        fields = {f.encode_name: f.type for f in info.fields}
        changed = {
            key: folded
            for key, item in data.items()
            if key in fields
            and (folded := _fold_enum_case(item, fields[key])) is not item
        }
        return {**data, **changed} if changed else data

    if isinstance(info, msgspec.inspect.ListType) and isinstance(data, list):
        items = [_fold_enum_case(item, info.item_type) for item in data]
        changed_any = any(new is not old for new, old in zip(items, data, strict=True))
        return items if changed_any else data

    return data


def to_json_data(body: msgspec.Struct, *, name: str) -> Any:
    """The checked ``body`` as JSON-ready builtins."""
    return _builtins(body, name=name)


def unencodable_error(data: Any, exc: Exception, *, name: str) -> ValidationError:
    """A ValidationError for what made the JSON encoder fail on ``data``.

    JSON has no NaN or infinity, UTF-8 no lone surrogates, and JSON objects
    only text keys; the first such value found is named. This runs only after
    the encoder refused, keeping the walk off the usual path.
    """
    stack: list[tuple[str, Any]] = [(name, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            message = (
                f"Invalid `{where}` (got {value!r}): JSON numbers must be finite. "
                "Fix that value and call again."
            )
            return ValidationError(message, field=where)
        if isinstance(value, str) and not _is_utf8(value):
            message = (
                f"Invalid `{where}` (got {_short_repr(value)}): the text holds "
                "characters UTF-8 cannot encode (lone surrogates)."
            )
            return ValidationError(message, field=where)
        if isinstance(value, dict):
            stack.extend((f"{where}.{key}", item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    message = f"`{name}` cannot be encoded as JSON: {exc}."
    return ValidationError(message, field=name)


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
