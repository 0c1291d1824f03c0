package io.dropship.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;

/**
 * The parties a story on the running fleet needs (the demo's, the chaos run's), set up through the gateway's one
 * API as the parties themselves would: suppliers approved with products and stock, onboarded to Stripe Connect;
 * listings a retailer routes to them; orders the fake Shopify shop holds.
 */
final class Scenario {

    /** The gateway's one API. */
    private final String api;

    private final String fakeStores;

    Scenario(String api, String fakeStores) {
        this.api = api;
        this.fakeStores = fakeStores;
    }

    /** A supplier's product, priced in USD, and its stock. */
    void product(String supplierToken, String sku, String title, String wholesale, String shipping, int stock)
            throws IOException, InterruptedException {
        Api.ok(
                "PUT",
                api + "/api/supplier/products/" + sku,
                supplierToken,
                "{\"title\":\"" + title + "\",\"wholesalePrice\":\"" + wholesale + "\",\"shippingCost\":\"" + shipping
                        + "\",\"currency\":\"USD\"}");
        Api.ok("PUT", api + "/api/supplier/stock/" + sku, supplierToken, "{\"quantity\":" + stock + "}");
    }

    /** The supplier's Stripe connected account, onboarded (the fake Stripe's test helper, then account.updated). */
    void paidByStripe(String supplierToken, String email) throws IOException, InterruptedException {
        JsonNode account = Api.ok("POST", api + "/api/billing/connect", supplierToken, "{\"email\":\"" + email + "\"}");
        Api.ok(
                "POST",
                fakeStores + "/stripe/v1/test_helpers/accounts/"
                        + account.get("accountId").asText() + "/complete_onboarding",
                Fleet.LOCAL_STRIPE_KEY,
                null);
        Api.await(
                api + "/api/billing/connect",
                supplierToken,
                a -> "ENABLED".equals(a.get("status").asText()),
                Duration.ofSeconds(30));
    }

    /** The retailer's card, saved as its Stripe customer's default: answers the customer id. */
    String payingRetailer(String retailerToken, String email) throws IOException, InterruptedException {
        return Api.ok(
                        "PUT",
                        api + "/api/billing/payment-method",
                        retailerToken,
                        "{\"email\":\"" + email + "\",\"paymentMethodId\":\"pm_card_visa\"}")
                .get("customerId")
                .asText();
    }

    /** A listing under the retailer's SKU with its offers ({@code supplierId|sku}, first preferred): answers its id. */
    String listing(String retailerToken, String sku, String title, String... offers)
            throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder("{\"title\":\"" + title + "\",\"offers\":[");
        for (int i = 0; i < offers.length; i++) {
            String[] p = offers[i].split("\\|");
            body.append(i > 0 ? "," : "")
                    .append("{\"supplierId\":\"")
                    .append(p[0])
                    .append("\",\"sku\":\"")
                    .append(p[1])
                    .append("\"}");
        }
        return Api.ok(
                        "PUT",
                        api + "/api/listings/" + sku,
                        retailerToken,
                        body.append("]}").toString())
                .get("listingId")
                .asText();
    }

    /** Waits until order-service can route every listing given: each offer known there and active. */
    void awaitRoutable(String supportToken, Collection<String> listingIds, Duration patience)
            throws IOException, InterruptedException {
        for (String listing : listingIds) {
            Api.await(
                    api + "/api/routing/listings/" + listing,
                    supportToken,
                    l -> l.get("offers").size() > 0
                            && l.get("offers").findValues("offerStatus").stream()
                                    .allMatch(v -> "ACTIVE".equals(v.asText())),
                    patience);
        }
    }

    /** The order as the fake Shopify shop holds it: line item ids {@code id*10+i} with the quantities given. */
    void shopifyOrder(String shop, long id, int[] quantities) throws IOException, InterruptedException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < quantities.length; i++) {
            lines.append(i > 0 ? "," : "")
                    .append("{\"id\":")
                    .append(id * 10 + i)
                    .append(",\"quantity\":")
                    .append(quantities[i])
                    .append('}');
        }
        Api.ok(
                "POST",
                fakeStores + "/_fake/shopify/" + shop + "/orders",
                null,
                "{\"id\":" + id + ",\"lineItems\":[" + lines + "]}");
    }
}
