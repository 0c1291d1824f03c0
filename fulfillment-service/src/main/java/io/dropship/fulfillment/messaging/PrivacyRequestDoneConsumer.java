package io.dropship.fulfillment.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A privacy request's orders, as order-service found them (its PrivacyRequestDone): fulfillment-service erases or
 * exports the customer's data on their supplier orders (the shipping address, also in the callbacks kept for the
 * supplier) and answers each of order-service's parts with its own.
 */
@ApplicationScoped
public class PrivacyRequestDoneConsumer {

    static final String TOPIC = "PrivacyRequestDone";
    static final String SERVICE = "fulfillment-service";

    public record PrivacyRequestDone(
            UUID requestId,
            String service,
            String kind,
            Integer part,
            Integer parts,
            List<UUID> orderIds,
            Integer records,
            List<JsonNode> data,
            Instant doneAt) {}

    private final Inbox inbox;
    private final Outbox outbox;
    private final ObjectMapper mapper;

    public PrivacyRequestDoneConsumer(Inbox inbox, Outbox outbox, ObjectMapper mapper) {
        this.inbox = inbox;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("privacy-request-done", record, PrivacyRequestDone.class, (s, e, p) -> {
            if (!"order-service".equals(p.service())) {
                return Uni.createFrom().voidItem(); // the answers of the others, this one's own among them
            }
            if (p.requestId() == null
                    || p.part() == null
                    || p.parts() == null
                    || p.orderIds() == null
                    || !Set.of("REDACT_CUSTOMER", "EXPORT_CUSTOMER", "REDACT_STORE")
                            .contains(p.kind())) {
                throw new PoisonMessageException("PrivacyRequestDone lacks a request, part, orders or known kind");
            }
            boolean export = p.kind().equals("EXPORT_CUSTOMER");
            Uni<List<JsonNode>> exported = export && !p.orderIds().isEmpty()
                    ? export(s, p.orderIds())
                    : Uni.createFrom().item(List.of());
            Uni<Integer> redacted = !export && !p.orderIds().isEmpty()
                    ? redact(s, p.orderIds())
                    : Uni.createFrom().item(0);
            return exported.chain(data -> redacted.chain(n -> outbox.publish(
                            s,
                            TOPIC,
                            p.requestId().toString(),
                            new PrivacyRequestDone(
                                    p.requestId(),
                                    SERVICE,
                                    p.kind(),
                                    p.part(),
                                    p.parts(),
                                    p.orderIds(),
                                    export ? data.size() : n,
                                    export ? data : null,
                                    Instant.now()))))
                    .replaceWithVoid();
        });
    }

    /** Keeps the country only, on the supplier orders and on the callbacks that carried their address. */
    private static Uni<Integer> redact(Mutiny.Session s, List<UUID> orders) {
        return s.createNativeQuery(
                        "update callback_delivery set payload = jsonb_set(payload, '{supplierOrder,shippingAddress}',"
                                + " jsonb_build_object('country', payload #> '{supplierOrder,shippingAddress,country}'))"
                                + " where supplier_order_id in (select id from supplier_order where order_id in (:ids))"
                                + " and payload #> '{supplierOrder,shippingAddress}' is not null")
                .setParameter("ids", orders)
                .executeUpdate()
                .chain(() -> s.createNativeQuery(
                                "update supplier_order set shipping_address = jsonb_build_object('country',"
                                        + " shipping_address -> 'country') where order_id in (:ids)")
                        .setParameter("ids", orders)
                        .executeUpdate());
    }

    private Uni<List<JsonNode>> export(Mutiny.Session s, List<UUID> orders) {
        return s.createNativeQuery(
                        "select cast(jsonb_build_object('supplierOrderId', so.id, 'orderId', so.order_id,"
                                + " 'orderNumber', so.order_number, 'supplierId', so.supplier_id, 'status', so.status,"
                                + " 'shippingAddress', so.shipping_address, 'receivedAt', so.received_at,"
                                + " 'carrier', sh.carrier, 'trackingNumber', sh.tracking_number, 'shippedAt', sh.shipped_at) as text)"
                                + " from supplier_order so left join shipment sh on sh.supplier_order_id = so.id"
                                + " where so.order_id in (:ids) order by so.received_at, so.id",
                        String.class)
                .setParameter("ids", orders)
                .getResultList()
                .map(texts -> texts.stream().map(this::json).toList());
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
