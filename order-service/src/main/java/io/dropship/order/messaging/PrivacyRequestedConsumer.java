package io.dropship.order.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A customer's or a store's privacy request (see the PrivacyRequested contract). order-service knows which orders are
 * the customer's: the store orders the request names, and every order of the store whose customer or shipping e-mail
 * is the customer's. It erases or exports its own rows and answers with the orders it found, in parts, for
 * fulfillment-service to do the same with its supplier orders.
 *
 * <p>A customer's order still being fulfilled (pending, routed, partly shipped, on hold) keeps its data, because the
 * supplier still needs the address to ship it: the answer names it as kept, and asking again after it is delivered or
 * cancelled erases it. A store's purge (it uninstalled the app) erases every order of the store.
 */
@ApplicationScoped
public class PrivacyRequestedConsumer {

    public static final String TOPIC = "PrivacyRequestDone";
    static final int PART_SIZE = 100;
    static final Set<String> KINDS = Set.of("REDACT_CUSTOMER", "EXPORT_CUSTOMER", "REDACT_STORE");

    public record PrivacyRequested(
            UUID requestId,
            String kind,
            String retailerId,
            String storeId,
            String customerEmail,
            List<String> storeOrderIds,
            Instant requestedAt) {}

    public record PrivacyRequestDone(
            UUID requestId,
            String service,
            String kind,
            int part,
            int parts,
            List<UUID> orderIds,
            List<UUID> keptOrderIds,
            int records,
            List<JsonNode> data,
            Instant doneAt) {}

    private final Inbox inbox;
    private final Outbox outbox;
    private final ObjectMapper mapper;

    public PrivacyRequestedConsumer(Inbox inbox, Outbox outbox, ObjectMapper mapper) {
        this.inbox = inbox;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("privacy-requested", record, PrivacyRequested.class, (s, e, p) -> {
            if (p.requestId() == null || p.retailerId() == null || p.storeId() == null || !KINDS.contains(p.kind())) {
                throw new PoisonMessageException("PrivacyRequested lacks a request, retailer, store or known kind");
            }
            boolean wholeStore = p.kind().equals("REDACT_STORE");
            String email = p.customerEmail() == null || p.customerEmail().isBlank()
                    ? null
                    : p.customerEmail().trim().toLowerCase();
            if (!wholeStore
                    && email == null
                    && (p.storeOrderIds() == null || p.storeOrderIds().isEmpty())) {
                throw new PoisonMessageException("a customer's privacy request names neither an e-mail nor orders");
            }
            String ids;
            try {
                ids = mapper.writeValueAsString(p.storeOrderIds() == null ? List.of() : p.storeOrderIds());
            } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
                throw new UncheckedIOException(impossible);
            }
            return s.createNativeQuery(
                            "select id, status from customer_order where retailer_id = :retailer and store_id = :store"
                                    + " and (:all or store_order_id in (select jsonb_array_elements_text(cast(cast(:ids as text) as jsonb)))"
                                    + " or lower(customer_email) = cast(:email as text)"
                                    + " or lower(shipping_address ->> 'email') = cast(:email as text))"
                                    + " order by placed_at, id",
                            Object[].class)
                    .setParameter("retailer", p.retailerId())
                    .setParameter("store", p.storeId())
                    .setParameter("all", wholeStore)
                    .setParameter("ids", ids)
                    .setParameter("email", email)
                    .getResultList()
                    .chain(rows -> act(s, p, rows));
        });
    }

    private Uni<Void> act(Mutiny.Session s, PrivacyRequested p, List<Object[]> rows) {
        List<UUID> found = new ArrayList<>();
        List<UUID> kept = new ArrayList<>();
        for (Object[] row : rows) {
            boolean open = !Set.of("SHIPPED", "DELIVERED", "CANCELLED").contains((String) row[1]);
            // An export covers every order; an erasure keeps what a supplier still needs to ship, unless the whole
            // store is purged.
            (open && p.kind().equals("REDACT_CUSTOMER") ? kept : found).add((UUID) row[0]);
        }
        List<List<UUID>> parts = new ArrayList<>();
        for (int i = 0; i < found.size(); i += PART_SIZE) {
            parts.add(found.subList(i, Math.min(found.size(), i + PART_SIZE)));
        }
        if (parts.isEmpty()) {
            parts.add(List.of());
        }
        int total = parts.size();
        return Multi.createFrom()
                .range(0, total)
                .onItem()
                .transformToUniAndConcatenate(i -> {
                    List<UUID> orders = parts.get(i);
                    Uni<List<JsonNode>> data = p.kind().equals("EXPORT_CUSTOMER")
                            ? export(s, orders)
                            : redact(s, orders).replaceWith((List<JsonNode>) null);
                    return data.chain(exported -> outbox.publish(
                            s,
                            TOPIC,
                            p.requestId().toString(),
                            new PrivacyRequestDone(
                                    p.requestId(),
                                    "order-service",
                                    p.kind(),
                                    i + 1,
                                    total,
                                    orders,
                                    i == 0 ? kept : List.of(),
                                    exported == null ? orders.size() : exported.size(),
                                    exported,
                                    Instant.now())));
                })
                .collect()
                .last()
                .replaceWithVoid();
    }

    private static Uni<Integer> redact(Mutiny.Session s, List<UUID> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return s.createNativeQuery("update customer_order set customer_email = null,"
                        + " shipping_address = jsonb_build_object('country', shipping_address -> 'country'),"
                        + " redacted_at = coalesce(redacted_at, now()), updated_at = now(),"
                        // A change made meanwhile from an order loaded before this one must not write the data back.
                        + " version = version + 1 where id in (:ids)")
                .setParameter("ids", orders)
                .executeUpdate();
    }

    private Uni<List<JsonNode>> export(Mutiny.Session s, List<UUID> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return s.createNativeQuery(
                        "select cast(jsonb_build_object('orderId', o.id, 'orderNumber', o.order_number,"
                                + " 'storeOrderId', o.store_order_id, 'status', o.status, 'placedAt', o.placed_at,"
                                + " 'customerEmail', o.customer_email, 'shippingAddress', o.shipping_address, 'currency', o.currency,"
                                + " 'total', o.total, 'redactedAt', o.redacted_at, 'lines', (select coalesce(jsonb_agg(jsonb_build_object("
                                + "'sku', l.sku, 'title', l.title, 'quantity', l.quantity, 'retailPrice', l.retail_price) order by l.id),"
                                + " '[]'::jsonb) from order_line l where l.order_id = o.id)) as text)"
                                + " from customer_order o where o.id in (:ids) order by o.placed_at, o.id",
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
