package io.dropship.order.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.platform.outbox.TransactionLock;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Builds the sales analytics from the bus (group {@code order-service.analytics}): SupplierOrderRouted brings the lines
 * (revenue at the retail price, cost at wholesale plus each line's share of the supplier order's shipping; a reship at
 * no charge is not a sale), SupplierOrderCancelled and SupplierOrderRejected take a supplier order that did not ship
 * out of the figures, Shipped says when it shipped, Settled what the platform's fee was; SubscriptionChanged with a paid
 * invoice is the platform's subscription revenue; ReturnUpdated the returns behind the reports' return rates. Each writes its own part, so
 * the order they come in does not matter, and the inbox applies each once.
 */
@ApplicationScoped
public class AnalyticsConsumer {

    static final String CHANNEL = "analytics";

    private final Inbox inbox;

    public AnalyticsConsumer(Inbox inbox) {
        this.inbox = inbox;
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply(CHANNEL, record, JsonNode.class, (s, event, json) -> {
            if (record.topic().equals("SubscriptionChanged")) {
                return subscriptionPaid(s, json);
            }
            if (record.topic().equals("ReturnUpdated")) {
                return returned(s, json);
            }
            UUID so = uuid(json, "supplierOrderId", record.topic());
            Uni<Void> effect = switch (record.topic()) {
                case "SupplierOrderRouted" -> routed(s, so, json);
                case "SupplierOrderCancelled", "SupplierOrderRejected" ->
                    state(
                            s,
                            so,
                            "void = true",
                            "void = case when sales_supplier_order.shipped_at is null then true else sales_supplier_order.void end",
                            null);
                case "Shipped" ->
                    state(
                            s,
                            so,
                            "shipped_at = cast(:v as timestamptz)",
                            "shipped_at = coalesce(sales_supplier_order.shipped_at, excluded.shipped_at), void = false",
                            Instant.parse(text(json, "shippedAt", record.topic()))
                                    .atOffset(ZoneOffset.UTC));
                case "Settled" -> settled(s, so, json);
                default -> Uni.createFrom().voidItem();
            };
            // The supplier order's events one at a time: a Shipped applied while its SupplierOrderRouted is, before
            // that one's lines are visible, would find no order to sum and its change would be left out.
            return TransactionLock.take(s, "sales-so:" + so)
                    .chain(() -> order(s, so, record.topic(), json))
                    .chain(order -> rollUp(s, order, effect));
        });
    }

    /** The order whose lines an event of this supplier order changes, with its retailer; none before it was routed. */
    private record SalesOrder(UUID id, String retailer) {}

    private static Uni<SalesOrder> order(Mutiny.Session s, UUID so, String topic, JsonNode json) {
        if (topic.equals("SupplierOrderRouted")) {
            return Uni.createFrom()
                    .item(
                            json.path("noCharge").asBoolean(false)
                                    ? null
                                    : new SalesOrder(uuid(json, "orderId", topic), text(json, "retailerId", topic)));
        }
        return s.createNativeQuery(
                        "select order_id, retailer_id from sales_line where supplier_order_id = :so limit 1",
                        Object[].class)
                .setParameter("so", so)
                .getResultList()
                .map(rows -> rows.isEmpty() ? null : new SalesOrder((UUID) rows.get(0)[0], (String) rows.get(0)[1]));
    }

    /**
     * The event's effect between two sums of its order's part of the sales (sales_order_parts before it; then
     * sales_order_apply adds the difference to the days, weeks and months), under the retailer's lock: two events of
     * one retailer, applied at once by two partitions, would otherwise lock the same days', weeks' and months' rows in
     * turns. An event costs the size of its order, not of its retailer's day.
     */
    private static Uni<Void> rollUp(Mutiny.Session s, SalesOrder order, Uni<Void> effect) {
        if (order == null) {
            return effect;
        }
        return TransactionLock.take(s, "sales:" + order.retailer())
                .chain(() -> s.createNativeQuery(
                                "select cast(coalesce(jsonb_agg(p), '[]') as text) from sales_order_parts(:o) p",
                                String.class)
                        .setParameter("o", order.id())
                        .getSingleResult())
                .chain(before -> effect.chain(() -> s.createNativeQuery(
                                "select cast(sales_order_apply(:o, cast(cast(:before as text) as jsonb)) as text)")
                        .setParameter("o", order.id())
                        .setParameter("before", before)
                        .getSingleResult()
                        .replaceWithVoid()));
    }

    /** A return, from its first update on (the request, or whichever update comes first): the reports' return rates. */
    private static Uni<Void> returned(Mutiny.Session s, JsonNode e) {
        String topic = "ReturnUpdated";
        OffsetDateTime at = Instant.parse(text(e, "occurredAt", topic)).atOffset(ZoneOffset.UTC);
        return s.createNativeQuery(
                        "insert into sales_return as r (return_id, retailer_id, supplier_id, order_id, supplier_order_id,"
                                + " status, requested_at, updated_at) values (:id, :retailerId, :sup, :orderId, :supplierOrderId, :status, :at, :at)"
                                + " on conflict (return_id) do update set requested_at = least(r.requested_at, excluded.requested_at),"
                                + " status = case when excluded.updated_at >= r.updated_at then excluded.status else r.status end,"
                                + " updated_at = greatest(r.updated_at, excluded.updated_at)")
                .setParameter("id", text(e, "returnId", topic))
                .setParameter("retailerId", text(e, "retailerId", topic))
                .setParameter("sup", text(e, "supplierId", topic))
                .setParameter("orderId", uuid(e, "orderId", topic))
                .setParameter("supplierOrderId", uuid(e, "supplierOrderId", topic))
                .setParameter("status", text(e, "status", topic))
                .setParameter("at", at)
                .executeUpdate()
                .replaceWithVoid();
    }

    /** A subscription invoice paid: the platform's subscription revenue, once per invoice. */
    private static Uni<Void> subscriptionPaid(Mutiny.Session s, JsonNode e) {
        JsonNode paid = e.path("invoicePaid");
        if (!paid.isObject()) {
            return Uni.createFrom().voidItem();
        }
        return s.createNativeQuery(
                        "insert into subscription_revenue (invoice_id, retailer_id, plan, amount, currency, paid_at)"
                                + " values (:id, :retailerId, :plan, :amount, :cur, :at) on conflict (invoice_id) do nothing")
                .setParameter("id", text(paid, "invoiceId", "SubscriptionChanged"))
                .setParameter("retailerId", text(e, "retailerId", "SubscriptionChanged"))
                .setParameter("plan", text(e, "plan", "SubscriptionChanged"))
                .setParameter("amount", new BigDecimal(text(paid, "amountPaid", "SubscriptionChanged")))
                .setParameter("cur", text(paid, "currency", "SubscriptionChanged"))
                .setParameter(
                        "at",
                        Instant.parse(text(paid, "paidAt", "SubscriptionChanged"))
                                .atOffset(ZoneOffset.UTC))
                .executeUpdate()
                .replaceWithVoid();
    }

    private static Uni<Void> routed(Mutiny.Session s, UUID so, JsonNode e) {
        if (e.path("noCharge").asBoolean(false)) {
            return Uni.createFrom().voidItem();
        }
        UUID order = uuid(e, "orderId", "SupplierOrderRouted");
        JsonNode lines = e.path("lines");
        BigDecimal shipping = new BigDecimal(e.path("shippingCost").asText("0"));
        int units = 0;
        for (JsonNode l : lines) {
            units += l.path("quantity").asInt();
        }
        BigDecimal wholesale = BigDecimal.ZERO;
        for (JsonNode l : lines) {
            wholesale = wholesale.add(new BigDecimal(l.path("wholesalePrice").asText("0"))
                    .multiply(BigDecimal.valueOf(l.path("quantity").asInt())));
        }
        BigDecimal total = wholesale.add(shipping).setScale(2, RoundingMode.HALF_UP);
        Uni<Void> chain = s.createNativeQuery(
                        "insert into sales_supplier_order (supplier_order_id, cost_total) values (:supplierOrderId, :t)"
                                + " on conflict (supplier_order_id) do update set cost_total = excluded.cost_total")
                .setParameter("supplierOrderId", so)
                .setParameter("t", total)
                .executeUpdate()
                .replaceWithVoid();
        BigDecimal left = shipping;
        int i = 0;
        for (JsonNode l : lines) {
            int quantity = l.path("quantity").asInt();
            if (quantity <= 0) {
                continue;
            }
            // The supplier order's shipping, shared by units; the last line takes what rounding left.
            BigDecimal share = ++i == lines.size() || units == 0
                    ? left
                    : shipping.multiply(BigDecimal.valueOf(quantity))
                            .divide(BigDecimal.valueOf(units), 2, RoundingMode.HALF_UP);
            left = left.subtract(share);
            BigDecimal revenue = new BigDecimal(l.path("retailPrice").asText("0"))
                    .multiply(BigDecimal.valueOf(quantity))
                    .setScale(2, RoundingMode.HALF_UP);
            BigDecimal cost = new BigDecimal(l.path("wholesalePrice").asText("0"))
                    .multiply(BigDecimal.valueOf(quantity))
                    .add(share)
                    .setScale(2, RoundingMode.HALF_UP);
            chain = chain.chain(() -> s.createNativeQuery(
                            "insert into sales_line (supplier_order_id, line_id, order_id, retailer_id,"
                                    + " store_id, listing_id, supplier_id, sku, title, currency, quantity, revenue, cost, routed_at)"
                                    + " values (:supplierOrderId, :line, :orderId, :retailerId, (select store_id from customer_order where id = :orderId), :listing, :supplierId, :sku,"
                                    + " left(:title, 300), :cur, :q, :rev, :cost, :at) on conflict do nothing")
                    .setParameter("supplierOrderId", so)
                    .setParameter("line", l.path("lineId").asText())
                    .setParameter("orderId", order)
                    .setParameter("retailerId", e.path("retailerId").asText())
                    .setParameter("listing", l.path("listingId").asText(null))
                    .setParameter("supplierId", e.path("supplierId").asText())
                    .setParameter("sku", l.path("sku").asText())
                    .setParameter("title", l.path("title").asText(null))
                    .setParameter("cur", e.path("currency").asText("USD"))
                    .setParameter("q", quantity)
                    .setParameter("rev", revenue)
                    .setParameter("cost", cost)
                    .setParameter(
                            "at",
                            Instant.parse(e.path("routedAt")
                                            .asText(Instant.now().toString()))
                                    .atOffset(ZoneOffset.UTC))
                    .executeUpdate()
                    .replaceWithVoid());
        }
        return chain;
    }

    /**
     * The platform's fee split in two: the retailer's (its plan's fee, in the retailer's report) and a featured
     * supplier's listing fee (the supplier's, a line of its own in the platform's report).
     */
    private static Uni<Void> settled(Mutiny.Session s, UUID so, JsonNode e) {
        BigDecimal listingFee =
                e.hasNonNull("listingFee") ? new BigDecimal(e.get("listingFee").asText()) : BigDecimal.ZERO;
        BigDecimal fee = new BigDecimal(text(e, "platformFee", "Settled")).subtract(listingFee);
        return s.createNativeQuery(
                        "insert into sales_supplier_order (supplier_order_id, fee, listing_fee) values (:supplierOrderId, :fee, :lf)"
                                + " on conflict (supplier_order_id) do update set fee = excluded.fee, listing_fee = excluded.listing_fee")
                .setParameter("supplierOrderId", so)
                .setParameter("fee", fee)
                .setParameter("lf", listingFee)
                .executeUpdate()
                .replaceWithVoid();
    }

    private static Uni<Void> state(Mutiny.Session s, UUID so, String set, String onConflict, Object value) {
        String column = set.substring(0, set.indexOf(' '));
        String insertValue =
                value == null ? "true" : set.substring(set.indexOf('=') + 1).strip();
        var q = s.createNativeQuery("insert into sales_supplier_order (supplier_order_id, " + column + ") values (:so, "
                        + insertValue + ") on conflict (supplier_order_id) do update set " + onConflict)
                .setParameter("so", so);
        if (value != null) {
            q.setParameter("v", value);
        }
        return q.executeUpdate().replaceWithVoid();
    }

    private static UUID uuid(JsonNode json, String field, String topic) {
        try {
            return UUID.fromString(text(json, field, topic));
        } catch (IllegalArgumentException e) {
            throw new PoisonMessageException(
                    topic + " names " + field + " " + json.path(field).asText() + ", not a UUID");
        }
    }

    private static String text(JsonNode json, String field, String topic) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            throw new PoisonMessageException(topic + " has no " + field);
        }
        return v.asText();
    }
}
