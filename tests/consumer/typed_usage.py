"""Type-checked with mypy --strict against the installed wheel (py.typed)."""

from __future__ import annotations

from norce_checkout_order import OrderClient, OrderStatus, UpdateResult
from norce_checkout_order.models import Address, Cart, Item, Price


def move(client: OrderClient, order_id: str) -> UpdateResult:
    cart = Cart(items=[Item(sku="A000123", quantity=2, price=Price(includingVat=1234))])
    client.update_cart(order_id, cart)
    client.update_billing(order_id, Address(givenName="Rosa", country="SE"))
    return client.update_state(order_id, OrderStatus.processing)


def accepted(result: UpdateResult) -> bool:
    return result.accepted
