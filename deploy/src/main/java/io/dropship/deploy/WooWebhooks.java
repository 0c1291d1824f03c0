package io.dropship.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** WooCommerce webhooks as WooCommerce sends them (signed the same way as Shopify's, other headers), for the demo. */
final class WooWebhooks {

    private WooWebhooks() {}

    static HttpRequest orderCreated(String gateway, String site, String secret, byte[] body) {
        return HttpRequest.newBuilder(URI.create(gateway + "/webhooks/woocommerce"))
                .header("Content-Type", "application/json")
                .header("X-WC-Webhook-Signature", ShopifyWebhooks.sign(secret, body))
                .header("X-WC-Webhook-Source", site + "/")
                .header("X-WC-Webhook-Topic", "order.created")
                .header("X-WC-Webhook-Resource", "order")
                .header("X-WC-Webhook-Event", "created")
                .header("X-WC-Webhook-Delivery-ID", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** A paid WooCommerce order (REST v3 shape): line ids are {@code id * 10 + i}. */
    static byte[] order(long id, String[] skus, int[] quantities, String[] prices) {
        ObjectNode order = Api.JSON
                .createObjectNode()
                .put("id", id)
                .put("status", "processing")
                .put("currency", "USD")
                .put("date_modified_gmt", Instant.now().toString())
                .put("shipping_total", "4.95")
                .put("total", "0.00");
        order.putObject("billing").put("email", "customer@example.com");
        order.putObject("shipping")
                .put("first_name", "Grace")
                .put("last_name", "Hopper")
                .put("address_1", "1 Navy Yard")
                .put("city", "Arlington")
                .put("state", "VA")
                .put("postcode", "22202")
                .put("country", "US");
        ArrayNode lines = order.putArray("line_items");
        for (int i = 0; i < skus.length; i++) {
            lines.addObject()
                    .put("id", id * 10 + i)
                    .put("product_id", 500 + i)
                    .put("variation_id", 0)
                    .put("sku", skus[i])
                    .put("name", skus[i])
                    .put("quantity", quantities[i])
                    .put("price", prices[i]);
        }
        return order.toString().getBytes(StandardCharsets.UTF_8);
    }
}
