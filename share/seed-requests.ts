// Builds the seed's three request bodies with the types openapi-typescript
// generates from ../openapi.yaml: if the spec stops describing them, `tsc`
// fails. Run by `nox -s share`.
import type { components, paths } from "./generated/order-api.d.ts";

type Orders = "/api/v0/checkout/orders/{order_id}";
type Body<Path extends keyof paths> = paths[Path] extends {
  put: { requestBody: { content: { "application/json": infer B } } };
}
  ? B
  : never;
type Headers<Path extends keyof paths> = paths[Path]["parameters"]["header"];

export const headers: Headers<`${Orders}/state`> = {
  "x-merchant": "norce",
  "x-channel": "1",
  "x-adapterid": "qliro_checkout_adapter",
};

export const state: Body<`${Orders}/state`> = { currentStatus: "checkout" };

const price: components["schemas"]["Price"] = {
  includingVat: 1234,
  excludingVat: 987.2,
};
const attributes: components["schemas"]["Attributes"] = {
  property1: null,
  property2: null,
};
const discount: components["schemas"]["Discount"] = {
  type: "item",
  name: "string",
  reference: "string",
  description: "string",
  code: "string",
  value: price,
  attributes,
};

export const cart: Body<`${Orders}/cart`> = {
  reference: "string",
  items: [
    {
      id: "ci_FpEzyBvBBUyKxkeNriFUxZOCje",
      reference: "string",
      name: "T-Shirt XL",
      sku: "A000123",
      productType: "physical",
      items: [{}],
      url: "https://example.com/products/A000123",
      imageUrl: "https://example.com/products/A000123/images/1",
      quantity: 2,
      unit: "st",
      price,
      total: price,
      originalTotal: price,
      vatRate: 0.25,
      discounts: [discount],
      logistics: {
        weight: 2500,
        height: 100,
        width: 50,
        length: 200,
        tags: ["string"],
        shippingDate: "2019-08-24T14:15:22Z",
      },
      upsell: true,
      attributes,
    },
  ],
  discounts: [discount],
  total: price,
  attributes,
};

// The vendor's example sends "Person"; the spec's enum, and so this type,
// is lowercase (the Python client folds the case before sending).
export const billing: Body<`${Orders}/customer/billing`> = {
  type: "person",
  givenName: "Rosalinainho",
  familyName: "Undulatsson",
  careOf: "Olleinho Jyckesson",
  reference: "string",
  organizationName: "Storm",
  streetAddress: "Adaptivevägen 18",
  streetAddress2: "Lgh 1203",
  postalCode: "955 60",
  city: "Boden",
  region: "Norrbotten",
  country: "SE",
  phone: "0753892233",
  email: "rosalinainho.undulatsson@example.com",
  nationalIdentificationNumber: "890201-3286",
  organizationIdentificationNumber: "212000-1355",
  attributes,
};

// What the types must refuse: a status outside the enum, a field the spec
// does not have.
// @ts-expect-error "shipped" is not an OrderStatus
export const badState: Body<`${Orders}/state`> = { currentStatus: "shipped" };
// @ts-expect-error "givenname" is not a field of Address
export const badBilling: Body<`${Orders}/customer/billing`> = { givenname: "R" };
