package io.dropship.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Proves that events cross the running fleet: a retailer's order posted to integration-gateway must
 * arrive, through its outbox, Debezium, the OrderPlaced topic and order-service's inbox, as an order
 * that order-service shows.
 */
final class Smoke {

    private Smoke() {}

    static boolean run(List<Fleet.Service> services) {
        String gateway = Fleet.url(services, "integration-gateway");
        String orders = gateway;
        try {
            // A retailer of its own each time, signed up as people do (its confirmation read from the fleet's mailbox).
            String run = UUID.randomUUID().toString().substring(0, 8);
            String token = Accounts.retailer(
                            gateway, "Smoke Shop " + run, "smoke-" + run + "@fleet.local", "smoke passphrase " + run)
                    .token();
            Instant sent = Instant.now();
            JsonNode accepted = Api.ok(
                    "POST",
                    gateway + "/api/orders",
                    token,
                    order("smoke-" + UUID.randomUUID().toString().substring(0, 8), "SMOKE-MUG", "SMOKE-TEE"),
                    "Idempotency-Key",
                    UUID.randomUUID().toString());
            String orderId = accepted.get("orderId").asText();
            System.out.printf(
                    "smoke: POST %s/api/orders -> order %s (%s) accepted%n",
                    gateway, accepted.get("orderNumber").asText(), orderId);
            JsonNode order = Api.await(orders + "/api/orders/" + orderId, token, o -> true, Duration.ofSeconds(30));
            System.out.printf(
                    "smoke: OK  OrderPlaced crossed integration-gateway -> Kafka -> order-service in %d ms;"
                            + " order-service shows %s (%s, %s)%n",
                    Duration.between(sent, Instant.now()).toMillis(),
                    order.get("orderNumber").asText(),
                    order.get("status").asText(),
                    order.path("holdReason").asText("routed"));
            return true;
        } catch (Exception e) {
            System.out.println("smoke: FAILED  " + e);
            return false;
        }
    }

    /** A custom store's order for two of its SKUs, two of the first and one of the second. */
    static String order(String storeOrderId, String firstSku, String secondSku) {
        return """
                {"storeOrderId":"%s","currency":"USD","customerEmail":"ada@example.com",
                 "lines":[{"lineId":"1","sku":"%s","title":"Black mug 12oz","quantity":2,"retailPrice":"14.99"},
                          {"lineId":"2","sku":"%s","title":"White tee M","quantity":1,"retailPrice":"19.00"}],
                 "shippingAddress":{"name":"Ada Lovelace","line1":"12 Analytical Way","city":"London",
                                    "postalCode":"N1 9GU","country":"GB"},
                 "totals":{"shipping":"4.95"}}
                """.formatted(storeOrderId, firstSku, secondSku);
    }
}
