package io.dropship.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs and addresses Shopify webhooks the way Shopify does, for the demo and the bench. */
final class ShopifyWebhooks {

    private ShopifyWebhooks() {}

    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An orders/paid webhook request; the event id names the event, so a redelivery repeats it. */
    static HttpRequest ordersPaid(String gateway, String shop, String signature, String eventId, byte[] body) {
        return webhook(gateway, shop, "orders/paid", signature, eventId, body);
    }

    static HttpRequest webhook(
            String gateway, String shop, String topic, String signature, String eventId, byte[] body) {
        return HttpRequest.newBuilder(URI.create(gateway + "/webhooks/shopify"))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Hmac-Sha256", signature)
                .header("X-Shopify-Shop-Domain", shop)
                .header("X-Shopify-Topic", topic)
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Event-Id", eventId)
                .header("X-Shopify-Triggered-At", Instant.now().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** A Shopify order (REST shape) with one line per SKU and quantity. */
    static byte[] order(long id, String[] skus, int[] quantities, String[] prices) {
        ObjectNode order = Api.JSON
                .createObjectNode()
                .put("id", id)
                .put("currency", "USD")
                .put("email", "customer@example.com")
                .put("subtotal_price", "0.00")
                .put("total_price", "0.00");
        ArrayNode lines = order.putArray("line_items");
        for (int i = 0; i < skus.length; i++) {
            lines.addObject()
                    .put("id", id * 10 + i)
                    .put("variant_id", 808950810L + i)
                    .put("sku", skus[i])
                    .put("title", skus[i])
                    .put("quantity", quantities[i])
                    .put("price", prices[i]);
        }
        order.putObject("shipping_address")
                .put("name", "Ada Lovelace")
                .put("address1", "12 Analytical Way")
                .put("city", "London")
                .put("zip", "N1 9GU")
                .put("country_code", "GB");
        order.putObject("total_shipping_price_set")
                .putObject("shop_money")
                .put("amount", "4.95")
                .put("currency_code", "USD");
        return order.toString().getBytes(StandardCharsets.UTF_8);
    }
}
