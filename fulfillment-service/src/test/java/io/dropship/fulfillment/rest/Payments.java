package io.dropship.fulfillment.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.TopicProbe;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** settlement-service's word on a supplier order's payment, as it publishes it. */
final class Payments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Payments() {}

    /** PaymentCleared (charged) for one supplier order of the order. */
    static void cleared(String orderId, String supplierOrderId) {
        send(
                "PaymentCleared",
                orderId,
                supplierOrderId,
                e -> e.put("basis", "CHARGED").put("clearedAt", Instant.now().toString()));
    }

    /** PaymentFailed (a declined card) for one supplier order of the order. */
    static void failed(String orderId, String supplierOrderId, String reason) {
        send(
                "PaymentFailed",
                orderId,
                supplierOrderId,
                e -> e.put("reason", reason).put("failedAt", Instant.now().toString()));
    }

    private static void send(
            String topic, String orderId, String supplierOrderId, java.util.function.Consumer<ObjectNode> fill) {
        try {
            ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example(topic));
            e.put("paymentId", orderId).put("orderId", orderId);
            e.putArray("supplierOrderIds").add(supplierOrderId);
            fill.accept(e);
            ContractCheck.assertValid(topic, e.toString());
            TopicProbe.send(
                    topic, orderId, e.toString(), Map.of("id", UUID.randomUUID().toString(), "eventType", topic));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
