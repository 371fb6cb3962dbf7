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

E = TypeVar("E", bound=Enum)

# msgspec ends a message with the path of the bad value: "... - at `$.a[0]`".
_AT_PATH = re.compile(r" - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`$")
_UNKNOWN_FIELD = re.compile(r"Object contains unknown field `(?P<key>[^`]*)`")
_PATH_STEP = re.compile(r"\.(?P<key>[^.\[]+)|\[(?P<index>\d+)\]")


def check_enum(enum: type[E], value: object, *, name: str) -> E:
    """``value`` as a member of ``enum``, or a ValidationError naming ``name``.

    A value in another case (the vendor's own examples send ``"Person"``) is
    accepted when it matches exactly one member.
    """
    try:
        return msgspec.convert(value, enum)
    except msgspec.ValidationError as error:
        folded = _fold_enum_case(value, msgspec.inspect.type_info(enum))
        if folded is value:
            raise _explain(error, enum, value, name) from None
    return msgspec.convert(folded, enum)


def encode_checked(model: type[msgspec.Struct], value: object, *, name: str) -> bytes:
    """``value`` checked against ``model``, as the JSON bytes to send.

    ``value`` is a ``model`` or a mapping shaped like the spec's JSON. It is
    encoded first and the encoding checked: a struct is not checked when it
    is built, nor is a struct found inside a dict, but every level of the JSON
    is. What is checked is what is sent. An enum value in another case is put
    in the spec's case, when it matches exactly one member.
    """
    if not isinstance(value, model | Mapping):
        message = (
            f"`{name}` must be a {model.__name__} or a dict shaped like its JSON; "
            f"got {type(value).__name__}."
        )
        raise ValidationError(message, field=name)

    encoded = _encode(value, name=name)
    try:
        msgspec.json.decode(encoded, type=model)
    except msgspec.ValidationError as error:
        # The slow path runs only for input that failed as given.
        data = msgspec.json.decode(encoded)
        non_finite = find_unencodable(value, name=name)
        if non_finite is not None:  # a NaN or an infinity became null on the way
            raise non_finite from None
        folded = _fold_enum_case(data, msgspec.inspect.type_info(model))
        if folded is data:
            raise _explain(error, model, data, name) from None
        try:
            msgspec.convert(folded, model)
        except msgspec.ValidationError as second:
            raise _explain(second, model, folded, name) from None
        return msgspec.json.encode(folded)
    return encoded


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


def _encode(value: Any, *, name: str) -> bytes:
    """``value`` as JSON, or a ValidationError naming what cannot be encoded."""
    try:
        return msgspec.json.encode(value, enc_hook=_plain)
    except RecursionError:
        message = f"`{name}` is nested too deeply to send (or refers to itself)."
        raise ValidationError(message, field=name) from None
    except (TypeError, ValueError) as exc:  # an object, a key, a lone surrogate
        raise unencodable_error(value, exc, name=name) from None


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


def unencodable_error(data: Any, exc: Exception, *, name: str) -> ValidationError:
    """A ValidationError for what made encoding ``data`` as JSON fail."""
    found = find_unencodable(data, name=name)
    if found is not None:
        return found
    message = f"`{name}` holds a value that JSON cannot carry: {exc}."
    return ValidationError(message, field=name)


def find_unencodable(data: Any, *, name: str) -> ValidationError | None:
    """A ValidationError for the first value in ``data`` JSON cannot carry.

    JSON has no NaN or infinity (msgspec writes them as null, which a number
    field then refuses), UTF-8 no lone surrogates. This runs only after a
    failure, keeping the walk off the usual path.
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
        if isinstance(value, msgspec.Struct):
            value = msgspec.structs.asdict(value)
        if isinstance(value, Mapping):
            stack.extend((f"{where}.{key}", item) for key, item in value.items())
        elif isinstance(value, list | tuple):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return None


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
