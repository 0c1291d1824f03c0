package io.dropship.order.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.order.service.Timeline;
import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.IncomingEvent;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Builds every order's timeline from the bus: each order-keyed event of every service becomes one entry (what
 * happened, in a sentence, and the event's fields without personal data), and {@code OrderActivity} adds what no
 * other event tells (store webhooks and calls, supplier callbacks, refunds, notifications). One consumer group of its
 * own reads them all, so the timeline never slows the order's own processing.
 *
 * <p>It reads a poll's worth at a time and keeps the batch's entries in one statement: the timeline takes more events
 * than all of this service's other consumers together (six or seven an order), and an inbox transaction per event
 * was most of the service's work under load. The entry's unique event id is the deduplication: a redelivered batch
 * adds nothing. A record that cannot become an entry goes to the channel's dead-letter topic and the rest of its
 * batch is kept; a database outage holds the batch until the database is back.
 */
@ApplicationScoped
public class TimelineConsumer {

    static final String CHANNEL = "timeline";

    private final Inbox inbox;
    private final Timeline timeline;
    private final DeadLetters deadLetters;
    private final ObjectMapper mapper;

    public TimelineConsumer(Inbox inbox, Timeline timeline, DeadLetters deadLetters, ObjectMapper mapper) {
        this.inbox = inbox;
        this.timeline = timeline;
        this.deadLetters = deadLetters;
        this.mapper = mapper;
    }

    public Uni<Void> on(ConsumerRecords<String, String> records) {
        List<Timeline.EventEntry> entries = new ArrayList<>(records.count());
        List<Uni<Void>> poison = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                Timeline.EventEntry entry = entry(record);
                if (entry != null) {
                    entries.add(entry);
                }
            } catch (PoisonMessageException | IOException e) {
                poison.add(Uni.createFrom().deferred(() -> deadLetters.deadLetter(CHANNEL, record, e.getMessage())));
            }
        }
        Uni<Void> deadLettered = poison.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(poison).andFailFast().replaceWithVoid();
        return deadLettered.chain(() -> inbox.retrying(
                inbox.consumerOf(CHANNEL),
                "a timeline batch of " + entries.size() + " events",
                () -> timeline.recordAll(entries).replaceWithVoid()));
    }

    /** The entry the record brings; null for a topic the timeline does not show. */
    Timeline.EventEntry entry(ConsumerRecord<String, String> record) throws IOException {
        IncomingEvent event = IncomingEvent.from(record);
        JsonNode json = mapper.readTree(event.payload());
        if (json == null || !json.isObject()) {
            throw new PoisonMessageException(record.topic() + " event " + event.eventId() + " is not a JSON object");
        }
        String order = text(json, "orderId");
        if (order == null) {
            throw new PoisonMessageException(record.topic() + " names no order");
        }
        UUID orderId;
        try {
            orderId = UUID.fromString(order);
        } catch (IllegalArgumentException e) {
            throw new PoisonMessageException(record.topic() + " names order " + order + ", which is not a UUID");
        }
        // When its producer wrote it; without that header, when it reached the broker (the record's timestamp), not
        // when this poll read it: a poll waits up to a second for more events.
        Instant at = event.occurredAt() != null
                ? event.occurredAt()
                : record.timestamp() > 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now();
        if (record.topic().equals("OrderActivity")) {
            String service = text(json, "service");
            String kind = text(json, "kind");
            String summary = text(json, "summary");
            if (service == null || kind == null || summary == null) {
                throw new PoisonMessageException("OrderActivity without service, kind or summary");
            }
            return new Timeline.EventEntry(orderId, at, service, kind, summary, json.get("detail"), event.eventId());
        }
        String[] entry = describe(record.topic(), json);
        return entry == null
                ? null
                : new Timeline.EventEntry(orderId, at, entry[0], entry[1], entry[2], json, event.eventId());
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String so(JsonNode json) {
        String id = text(json, "supplierOrderId");
        return id == null ? "?" : id.substring(0, Math.min(8, id.length()));
    }

    private static int units(JsonNode lines) {
        int n = 0;
        if (lines != null) {
            for (JsonNode l : lines) {
                n += l.path("quantity").asInt(0);
            }
        }
        return n;
    }

    /** The service, kind and sentence for an event of the topic; null for a topic the timeline does not show. */
    static String[] describe(String topic, JsonNode e) {
        return switch (topic) {
            case "OrderPlaced" ->
                new String[] {
                    "integration-gateway",
                    "ORDER_PLACED",
                    "Order " + text(e, "orderNumber")
                            + " taken in from the "
                            + String.valueOf(text(e, "storePlatform")).toLowerCase() + " store"
                            + (e.path("webhook").hasNonNull("topic")
                                    ? " by its "
                                            + e.path("webhook").path("topic").asText() + " webhook"
                                    : "")
                            + " (store order "
                            + text(e, "storeOrderId") + ", " + e.path("lines").size() + " lines, total "
                            + e.path("totals").path("total").asText() + " " + text(e, "currency") + ")"
                };
            case "SupplierOrderRouted" ->
                new String[] {
                    "order-service",
                    "SUPPLIER_ORDER_ROUTED",
                    "Supplier order " + so(e)
                            + " sent to " + text(e, "supplierId") + " (attempt "
                            + e.path("attempt").asInt(1) + ", " + units(e.get("lines"))
                            + " units, wholesale " + text(e, "wholesaleTotal") + " + shipping "
                            + text(e, "shippingCost") + " "
                            + text(e, "currency") + ")"
                };
            case "StockReserved" ->
                new String[] {
                    "inventory-service",
                    "STOCK_RESERVED",
                    "Stock reserved at " + text(e, "supplierId") + " for supplier order " + so(e)
                };
            case "ReservationRefused" ->
                new String[] {
                    "inventory-service",
                    "RESERVATION_REFUSED",
                    text(e, "supplierId") + " had too little stock for supplier order " + so(e) + " ("
                            + e.path("shortLines").size() + " lines short)"
                };
            case "PaymentCleared" ->
                new String[] {
                    "settlement-service",
                    "PAYMENT_CLEARED",
                    ("CREDIT".equals(text(e, "basis")) ? "Payment of " : "Charged ") + text(e, "amount") + " "
                            + text(e, "currency")
                            + ("CREDIT".equals(text(e, "basis"))
                                    ? " covered by the retailer's credit terms"
                                    : " to the retailer")
                };
            case "PaymentFailed" ->
                new String[] {
                    "settlement-service",
                    "PAYMENT_FAILED",
                    "The charge of " + text(e, "amount") + " " + text(e, "currency") + " failed: " + text(e, "reason")
                            + " (attempt " + e.path("attempts").asInt(1) + ")"
                };
            case "SupplierOrderUpdated" ->
                new String[] {
                    "fulfillment-service",
                    "SUPPLIER_"
                            + switch (String.valueOf(text(e, "event"))) {
                                case "supplier_order.received" -> "RECEIVED";
                                case "supplier_order.cancel_requested" -> "ASKED_TO_CANCEL";
                                default -> "WITHDRAWN";
                            },
                    switch (String.valueOf(text(e, "event"))) {
                                case "supplier_order.received" ->
                                    "Supplier order " + so(e) + " reached " + text(e, "supplierId");
                                case "supplier_order.cancel_requested" ->
                                    text(e, "supplierId") + " asked to stop supplier order " + so(e);
                                default -> "Supplier order " + so(e) + " withdrawn from " + text(e, "supplierId");
                            }
                            + (e.path("byCallback").asBoolean()
                                    ? " (by its callback endpoint)"
                                    : " (by e-mail and its order list)")
                };
            case "SupplierOrderRejected" ->
                new String[] {
                    "fulfillment-service",
                    "SUPPLIER_REJECTED",
                    text(e, "supplierId") + " rejected supplier order " + so(e) + ": " + text(e, "reason")
                };
            case "SupplierOrderCancelled" ->
                new String[] {
                    "order-service",
                    "SUPPLIER_ORDER_CANCELLED",
                    "Supplier order " + so(e) + " cancelled: " + text(e, "reason")
                };
            case "OrderCancelled" ->
                new String[] {
                    "integration-gateway",
                    "CANCELLED_AT_STORE",
                    "The store cancelled the order" + (text(e, "reason") == null ? "" : ": " + text(e, "reason"))
                };
            case "OrderStatusChanged" ->
                new String[] {
                    "order-service",
                    "STATUS_" + text(e, "status"),
                    "Order "
                            + String.valueOf(text(e, "status")).toLowerCase().replace('_', ' ') + " (was "
                            + String.valueOf(text(e, "previousStatus"))
                                    .toLowerCase()
                                    .replace('_', ' ') + ", by "
                            + String.valueOf(text(e, "source")).toLowerCase() + ")"
                            + (text(e, "reason") == null ? "" : ": " + text(e, "reason"))
                };
            case "Shipped" ->
                new String[] {
                    "fulfillment-service",
                    "SHIPPED",
                    units(e.get("lines")) + " units shipped by " + text(e, "supplierId") + " with " + text(e, "carrier")
                            + ", tracking " + text(e, "trackingNumber")
                };
            case "Delivered" ->
                new String[] {"fulfillment-service", "DELIVERED", "Supplier order " + so(e) + " delivered"};
            case "Settled" ->
                new String[] {
                    "settlement-service",
                    "SETTLED",
                    text(e, "supplierId") + " paid "
                            + text(e, "supplierPayout") + " " + text(e, "currency") + " (transfer "
                            + text(e, "transferId")
                            + "); platform fee " + text(e, "platformFee")
                };
            case "ReturnUpdated" ->
                new String[] {
                    "settlement-service",
                    "RETURN_" + text(e, "status"),
                    "Return of "
                            + units(e.get("lines")) + " units of supplier order " + so(e) + ": "
                            + String.valueOf(text(e, "status")).toLowerCase()
                            + (text(e, "amount") == null
                                    ? ""
                                    : " (" + text(e, "amount") + " " + text(e, "currency") + ")")
                            + (e.path("sellable").asBoolean(false) ? ", back in the supplier's stock" : "")
                };
            case "PaymentDisputed" ->
                new String[] {
                    "settlement-service",
                    "DISPUTE_" + text(e, "event"),
                    "Card dispute "
                            + text(e, "disputeId") + " of " + text(e, "amount") + " " + text(e, "currency") + ": "
                            + String.valueOf(text(e, "status")).replace('_', ' ')
                            + (text(e, "outcome") == null
                                    ? ""
                                    : " (" + String.valueOf(text(e, "outcome")).toLowerCase() + ")")
                };
            case "CaseUpdated" ->
                new String[] {
                    "order-service",
                    "CASE_" + text(e, "event"),
                    switch (String.valueOf(text(e, "event"))) {
                        case "OPENED" ->
                            "Case opened by the "
                                    + String.valueOf(text(e, "byRole")).toLowerCase() + " ("
                                    + String.valueOf(text(e, "kind"))
                                            .toLowerCase()
                                            .replace('_', ' ') + "): " + text(e, "subject");
                        case "MESSAGE" ->
                            "Case message from the "
                                    + String.valueOf(text(e, "byRole")).toLowerCase() + "; it waits on "
                                    + String.valueOf(text(e, "status"))
                                            .toLowerCase()
                                            .replace('_', ' ');
                        case "RESOLVED" ->
                            "Case resolved: "
                                    + String.valueOf(text(e, "outcome"))
                                            .toLowerCase()
                                            .replace('_', ' ')
                                    + (text(e, "refundAmount") == null
                                            ? ""
                                            : " of " + text(e, "refundAmount") + " " + text(e, "currency")
                                                    + " (borne by the "
                                                    + String.valueOf(text(e, "chargeTo"))
                                                            .toLowerCase() + ")");
                        default ->
                            "Case "
                                    + String.valueOf(text(e, "status"))
                                            .toLowerCase()
                                            .replace('_', ' ');
                    }
                };
            default -> null;
        };
    }
}
