package io.dropship.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The order flow on the running fleet, as each party sees it: two suppliers are onboarded and list
 * products with stock; a retailer lists them with a primary and a backup supplier and connects its Shopify
 * store; the store's signed orders/paid webhook comes in (then the same delivery again, and a forged one);
 * the order is routed to the one supplier that can ship all of it, reserved, dispatched, shipped and
 * settled. Every step goes through the services' public APIs and Kafka, nothing else.
 */
final class Demo {

    private final String gateway;
    private final String catalog;
    private final String orders;
    private final String inventory;
    private final String fulfillment;
    private final String settlement;
    private final Instant started = Instant.now();

    private Demo(List<Fleet.Service> services) {
        gateway = Fleet.url(services, "integration-gateway");
        catalog = Fleet.url(services, "catalog-service");
        orders = Fleet.url(services, "order-service");
        inventory = Fleet.url(services, "inventory-service");
        fulfillment = Fleet.url(services, "fulfillment-service");
        settlement = Fleet.url(services, "settlement-service");
    }

    static boolean run(List<Fleet.Service> services) {
        try {
            new Demo(services).story();
            return true;
        } catch (Exception e) {
            System.out.println("demo: FAILED  " + e);
            return false;
        }
    }

    private void story() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String admin = Api.token(gateway, "ADMIN", null, null);
        String support = Api.token(gateway, "SUPPORT", null, null);

        String acme = onboard(admin, "Acme Mugs " + run, "US-CA");
        String globex = onboard(admin, "Globex Apparel " + run, "GB");
        String acmeToken = Api.token(gateway, "SUPPLIER", "supplierId", acme);
        String globexToken = Api.token(gateway, "SUPPLIER", "supplierId", globex);
        product(acmeToken, "MUG-BLK-12", "Black mug 12oz", "6.20", "3.50", 40);
        product(globexToken, "MUG-12-BLACK", "Black mug 12oz", "6.90", "2.90", 25);
        product(globexToken, "TEE-WHT-M", "White tee M", "7.50", "2.00", 10);
        step("suppliers %s (Acme, US-CA) and %s (Globex, GB) approved, products and stock listed", acme, globex);

        String retailer = "ret-demo-" + run;
        String retailerToken = Api.token(gateway, "RETAILER", "retailerId", retailer);
        String mugListing = listing(retailerToken, "STORE-MUG", "Black mug", acme + "|MUG-BLK-12", globex + "|MUG-12-BLACK");
        String teeListing = listing(retailerToken, "STORE-TEE", "White tee", globex + "|TEE-WHT-M");
        for (String listing : List.of(mugListing, teeListing)) {
            Api.await(orders + "/api/routing/listings/" + listing, support, l -> l.get("offers").size() > 0
                    && l.get("offers").findValues("offerStatus").stream().allMatch(v -> "ACTIVE".equals(v.asText())),
                    Duration.ofSeconds(30));
        }
        step("retailer %s listed STORE-MUG (primary Acme, backup Globex) and STORE-TEE (Globex); order-service sees both", retailer);

        String shop = "demo-" + run + ".myshopify.com";
        String secret = "shpss_demo_" + run;
        Api.ok("POST", gateway + "/api/stores", retailerToken, "{\"platform\":\"SHOPIFY\",\"shopDomain\":\"" + shop
                + "\",\"webhookSecret\":\"" + secret + "\",\"apiToken\":\"shpat_demo\"}");
        long storeOrderId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        byte[] body = ShopifyWebhooks.order(storeOrderId, new String[] {"STORE-MUG", "STORE-TEE"}, new int[] {2, 1},
                new String[] {"14.99", "19.00"});
        String eventId = UUID.randomUUID().toString();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> first = http.send(ShopifyWebhooks.ordersPaid(gateway, shop, ShopifyWebhooks.sign(secret, body),
                eventId, body), HttpResponse.BodyHandlers.ofString());
        JsonNode accepted = Api.JSON.readTree(first.body());
        if (first.statusCode() != 200 || !"ORDER_ACCEPTED".equals(accepted.path("outcome").asText())) {
            throw new IllegalStateException("the signed webhook was answered " + first.statusCode() + " " + first.body());
        }
        String orderId = accepted.get("orderId").asText();
        Instant placed = Instant.now();
        step("Shopify store %s connected; its signed orders/paid webhook for order %d answered %d %s (%s)", shop,
                storeOrderId, first.statusCode(), accepted.get("outcome").asText(), accepted.get("detail").asText());
        HttpResponse<String> again = http.send(ShopifyWebhooks.ordersPaid(gateway, shop, ShopifyWebhooks.sign(secret, body),
                eventId, body), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> forged = http.send(ShopifyWebhooks.ordersPaid(gateway, shop,
                ShopifyWebhooks.sign("not-the-secret", body), UUID.randomUUID().toString(), body), HttpResponse.BodyHandlers.ofString());
        step("the same delivery again: %d %s; a forged signature: %d %s", again.statusCode(),
                Api.JSON.readTree(again.body()).path("outcome").asText(), forged.statusCode(),
                Api.JSON.readTree(forged.body()).path("detail").asText());

        JsonNode order = Api.await(orders + "/api/orders/" + orderId, retailerToken,
                o -> "ROUTED".equals(o.get("status").asText()) && o.get("supplierOrders").size() > 0
                        && "RESERVED".equals(o.get("supplierOrders").get(0).get("status").asText()), Duration.ofSeconds(30));
        JsonNode so = order.get("supplierOrders").get(0);
        step("routed and reserved in %d ms: one supplier order to %s (it alone ships both lines; Acme is cheaper for the mug)",
                Duration.between(placed, Instant.now()).toMillis(), so.get("supplierId").asText());

        String soId = so.get("supplierOrderId").asText();
        Api.await(fulfillment + "/api/supplier/orders/" + soId, globexToken, o -> true, Duration.ofSeconds(30));
        Api.ok("POST", fulfillment + "/api/supplier/orders/" + soId + "/accept", globexToken, null);
        Api.ok("POST", fulfillment + "/api/supplier/orders/" + soId + "/ship", globexToken,
                "{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"RM" + run.toUpperCase() + "GB\","
                        + "\"trackingUrl\":\"https://www.royalmail.com/track-your-item#/tracking-results/RM" + run.toUpperCase() + "GB\"}");
        step("Globex accepted and shipped it with Royal Mail RM%sGB", run.toUpperCase());

        JsonNode shipped = Api.await(orders + "/api/orders/" + orderId, retailerToken,
                o -> "SHIPPED".equals(o.get("status").asText()), Duration.ofSeconds(30));
        JsonNode invoice = Api.await(settlement + "/api/invoices/" + orderId, retailerToken, i -> true, Duration.ofSeconds(30));
        JsonNode stock = Api.ok("GET", inventory + "/api/supplier/stock/TEE-WHT-M", globexToken, null);
        JsonNode line = invoice.get("lines").get(0);
        System.out.println();
        System.out.println("What each party sees now:");
        System.out.printf("  retailer  order %s is %s; tracking %s %s%n", shipped.get("orderNumber").asText(),
                shipped.get("status").asText(), shipped.at("/supplierOrders/0/tracking/carrier").asText(),
                shipped.at("/supplierOrders/0/tracking/trackingNumber").asText());
        System.out.printf("  retailer  invoice: wholesale %s + shipping %s + platform fee %s (%s plan) = %s %s%n",
                line.get("wholesaleTotal").asText(), line.get("shippingCost").asText(), line.get("platformFee").asText(),
                line.get("plan").asText(), invoice.get("total").asText(), invoice.get("currency").asText());
        System.out.printf("  supplier  Globex: TEE-WHT-M on hand %d, reserved %d, available %d%n",
                stock.get("onHand").asInt(), stock.get("reserved").asInt(), stock.get("available").asInt());
        System.out.printf("demo: OK  the order went from placement to invoice in %.1f s%n",
                Duration.between(placed, Instant.now()).toMillis() / 1000.0);
    }

    private String onboard(String admin, String company, String region) throws Exception {
        JsonNode s = Api.ok("POST", catalog + "/api/suppliers", null, "{\"companyName\":\"" + company + "\",\"contactEmail\":\""
                + UUID.randomUUID() + "@supplier.test\",\"businessType\":\"MANUFACTURER\",\"shipFromRegion\":\"" + region + "\"}");
        String id = s.get("supplierId").asText();
        Api.ok("POST", catalog + "/api/suppliers/" + id + "/status", admin, "{\"status\":\"ACTIVE\"}");
        return id;
    }

    private void product(String supplierToken, String sku, String title, String wholesale, String shipping, int stock)
            throws Exception {
        Api.ok("PUT", catalog + "/api/supplier/products/" + sku, supplierToken, "{\"title\":\"" + title
                + "\",\"wholesalePrice\":\"" + wholesale + "\",\"shippingCost\":\"" + shipping + "\",\"currency\":\"USD\"}");
        Api.ok("PUT", inventory + "/api/supplier/stock/" + sku, supplierToken, "{\"quantity\":" + stock + "}");
    }

    private String listing(String retailerToken, String sku, String title, String... offers) throws Exception {
        StringBuilder body = new StringBuilder("{\"title\":\"" + title + "\",\"offers\":[");
        for (int i = 0; i < offers.length; i++) {
            String[] p = offers[i].split("\\|");
            body.append(i > 0 ? "," : "").append("{\"supplierId\":\"").append(p[0]).append("\",\"sku\":\"").append(p[1]).append("\"}");
        }
        return Api.ok("PUT", catalog + "/api/listings/" + sku, retailerToken, body.append("]}").toString())
                .get("listingId").asText();
    }

    private void step(String format, Object... args) {
        System.out.printf("demo: %5.1f s  %s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0,
                String.format(format, args));
    }
}
