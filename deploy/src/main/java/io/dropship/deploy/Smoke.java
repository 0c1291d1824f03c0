package io.dropship.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Smoke() {
    }

    static boolean run(List<Fleet.Service> services) {
        String gateway = url(services, "integration-gateway");
        String orders = url(services, "order-service");
        try {
            String token = post(gateway + "/api/dev/tokens", null, null,
                    "{\"role\":\"RETAILER\",\"retailerId\":\"ret-demo\"}").get("accessToken").asText();
            String storeOrderId = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
            Instant sent = Instant.now();
            JsonNode accepted = post(gateway + "/api/orders", token, UUID.randomUUID().toString(), order(storeOrderId));
            String orderId = accepted.get("orderId").asText();
            System.out.printf("smoke: POST %s/api/orders -> order %s (%s) accepted%n", gateway,
                    accepted.get("orderNumber").asText(), orderId);

            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline)) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(orders + "/api/orders/" + orderId))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode order = JSON.readTree(r.body());
                    System.out.printf("smoke: OK  OrderPlaced crossed integration-gateway -> Kafka -> order-service"
                                    + " in %d ms; order-service shows %s as %s with %d lines%n",
                            Duration.between(sent, Instant.now()).toMillis(), order.get("orderNumber").asText(),
                            order.get("status").asText(), order.get("lines").size());
                    return true;
                }
                Thread.sleep(100);
            }
            System.out.println("smoke: FAILED  order-service did not show order " + orderId + " within 30 s");
            return false;
        } catch (Exception e) {
            System.out.println("smoke: FAILED  " + e);
            return false;
        }
    }

    private static String url(List<Fleet.Service> services, String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().url();
    }

    private static JsonNode post(String url, String token, String idempotencyKey, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String order(String storeOrderId) {
        return """
                {"storeOrderId":"%s","currency":"USD","customerEmail":"ada@example.com",
                 "lines":[{"lineId":"1","sku":"MUG-BLK-12","title":"Black mug 12oz","quantity":2,"retailPrice":"14.99"},
                          {"lineId":"2","sku":"TEE-WHT-M","title":"White tee M","quantity":1,"retailPrice":"19.00"}],
                 "shippingAddress":{"name":"Ada Lovelace","line1":"12 Analytical Way","city":"London",
                                    "postalCode":"N1 9GU","country":"GB"},
                 "totals":{"shipping":"4.95"}}
                """.formatted(storeOrderId);
    }
}
