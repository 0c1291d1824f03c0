package io.dropship.order.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.IncomingEvent;
import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.platform.outbox.TransactionLock;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Builds the sales analytics from the bus (group {@code order-service.analytics}): SupplierOrderRouted brings the lines
 * (revenue at the retail price, cost at wholesale plus each line's share of the supplier order's shipping; a reship at
 * no charge is not a sale), SupplierOrderCancelled and SupplierOrderRejected take a supplier order that did not ship
 * out of the figures, Shipped says when it shipped, Settled what the platform's fee was; SubscriptionChanged with a paid
 * invoice is the platform's subscription revenue; ReturnUpdated the returns behind the reports' return rates. Each writes its own part, so
 * the order they come in does not matter, and the inbox applies each once.
 *
 * <p>It takes a poll's worth of events at a time, in one transaction, and adds what they change to the days, weeks and
 * months once for the batch: the same retailer's day and the platform's rows were written again for every event. The
 * channel's fetch waits up to a second for more events (the reports are read by people, not by the order flow), so
 * the batches grow with the load instead of staying at one event. A record that cannot be applied goes to the
 * channel's dead-letter topic and the rest of its batch is kept; a database outage holds the batch until it is back.
 */
@ApplicationScoped
public class AnalyticsConsumer {

    public static final String CHANNEL = "analytics";

    private final Pool pool;
    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final ObjectMapper mapper;

    public AnalyticsConsumer(Pool pool, Inbox inbox, DeadLetters deadLetters, ObjectMapper mapper) {
        this.pool = pool;
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.mapper = mapper;
    }

    /** The order whose lines an event of a supplier order changes, with its retailer. */
    private record SalesOrder(UUID id, String retailer) {}

    /**
     * One event, read and checked before the batch's transaction: its supplier order (none for a subscription's or a
     * return's event), the order a SupplierOrderRouted names (null for the others, and for a reship at no charge), and
     * the rows it writes.
     */
    private record Change(
            ConsumerRecord<String, String> record,
            String eventId,
            UUID supplierOrder,
            SalesOrder routedOrder,
            Function<SqlConnection, Uni<?>> effect) {}

    public Uni<Void> on(ConsumerRecords<String, String> records) {
        List<Change> changes = new ArrayList<>(records.count());
        List<Uni<Void>> poison = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                changes.add(change(record));
            } catch (PoisonMessageException e) {
                poison.add(Uni.createFrom().deferred(() -> deadLetters.deadLetter(CHANNEL, record, e.getMessage())));
            }
        }
        Uni<Void> deadLettered = poison.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(poison).andFailFast().replaceWithVoid();
        if (changes.isEmpty()) {
            return deadLettered;
        }
        String consumer = inbox.consumerOf(CHANNEL);
        return deadLettered.chain(() -> inbox.retrying(
                        consumer, "an analytics batch of " + changes.size() + " events", () -> apply(consumer, changes))
                .onFailure()
                .recoverWithUni(e -> oneByOne(consumer, changes)));
    }

    /**
     * A batch that fails other than for a while (a bug, or an event the database refuses) is applied event by event,
     * so that the one that fails goes to the dead-letter topic and the others are kept.
     */
    private Uni<Void> oneByOne(String consumer, List<Change> changes) {
        return Multi.createFrom()
                .iterable(changes)
                .onItem()
                .transformToUniAndConcatenate(change -> inbox.retrying(
                                consumer,
                                "event " + change.eventId() + " from "
                                        + change.record().topic(),
                                () -> apply(consumer, List.of(change)))
                        .onFailure()
                        .recoverWithUni(e -> deadLetters.deadLetter(CHANNEL, change.record(), e.toString())))
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * The batch in one transaction: the events not applied before; their supplier orders' locks (a Shipped applied
     * while its SupplierOrderRouted is, before that one's lines are visible, would find no order to sum and its change
     * would be left out); the orders they change and their retailers' locks (two batches of one retailer, applied at
     * once by two partitions, would otherwise lock the same days', weeks' and months' rows in turns); those orders'
     * part of the sales before the events (sales_order_parts); the events' rows, in their order; and then
     * sales_orders_apply adds the difference to the days, weeks and months, once for the whole batch. A batch costs
     * the size of its orders, not of their retailers' days.
     */
    private Uni<Void> apply(String consumer, List<Change> changes) {
        List<String> ids = changes.stream().map(Change::eventId).toList();
        return pool.withTransaction(c -> inbox.firstDeliveries(c, consumer, ids).chain(fresh -> {
                    List<Change> kept = new ArrayList<>();
                    for (Change change : changes) {
                        if (fresh.remove(change.eventId())) {
                            kept.add(change);
                        }
                    }
                    Set<UUID> supplierOrders = new TreeSet<>();
                    kept.stream()
                            .map(Change::supplierOrder)
                            .filter(Objects::nonNull)
                            .forEach(supplierOrders::add);
                    return TransactionLock.takeAll(
                                    c,
                                    supplierOrders.stream()
                                            .map(so -> "sales-so:" + so)
                                            .toList())
                            .chain(() -> orders(c, kept, supplierOrders))
                            .chain(orders -> rollUp(c, orders, kept))
                            .replaceWith(kept.size());
                }))
                .invoke(applied -> inbox.applied(consumer, applied))
                .replaceWithVoid();
    }

    /** The orders the events change: named by their SupplierOrderRouted, or found by their supplier orders' lines. */
    private static Uni<Set<SalesOrder>> orders(SqlConnection c, List<Change> kept, Set<UUID> supplierOrders) {
        Set<SalesOrder> orders = new HashSet<>();
        Set<UUID> unknown = new TreeSet<>(supplierOrders);
        for (Change change : kept) {
            if (change.routedOrder() != null) {
                orders.add(change.routedOrder());
                unknown.remove(change.supplierOrder());
            }
        }
        if (unknown.isEmpty()) {
            return Uni.createFrom().item(orders);
        }
        return c.preparedQuery(
                        "select distinct order_id, retailer_id from sales_line where supplier_order_id = any($1)")
                .execute(Tuple.tuple().addArrayOfUUID(unknown.toArray(UUID[]::new)))
                .map(rows -> {
                    rows.forEach(row -> orders.add(new SalesOrder(row.getUUID(0), row.getString(1))));
                    return orders;
                });
    }

    private static Uni<Void> rollUp(SqlConnection c, Set<SalesOrder> orders, List<Change> kept) {
        Uni<Void> effects = Multi.createFrom()
                .iterable(kept)
                .onItem()
                .transformToUniAndConcatenate(change -> change.effect().apply(c))
                .collect()
                .last()
                .replaceWithVoid();
        if (orders.isEmpty()) {
            return effects;
        }
        UUID[] ids = orders.stream().map(SalesOrder::id).sorted().toArray(UUID[]::new);
        return TransactionLock.takeAll(
                        c, orders.stream().map(o -> "sales:" + o.retailer()).toList())
                .chain(() -> c.preparedQuery("select cast(coalesce(jsonb_agg(p), '[]') as text)"
                                + " from unnest($1::uuid[]) as o, sales_order_parts(o) as p")
                        .execute(Tuple.tuple().addArrayOfUUID(ids)))
                .map(rows -> rows.iterator().next().getString(0))
                .chain(before -> effects.chain(() -> c.preparedQuery(
                                "select cast(sales_orders_apply($1::uuid[], cast(cast($2 as text) as jsonb)) as text)")
                        .execute(Tuple.tuple().addArrayOfUUID(ids).addString(before))))
                .replaceWithVoid();
    }

    /** Reads one record; a record that cannot be applied as it stands is poison (it goes to the dead-letter topic). */
    private Change change(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        String topic = record.topic();
        JsonNode json;
        try {
            json = mapper.readTree(event.payload());
        } catch (IOException e) {
            throw new PoisonMessageException(topic + " event " + event.eventId() + " is not JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new PoisonMessageException(topic + " event " + event.eventId() + " is not a JSON object");
        }
        try {
            return switch (topic) {
                case "SubscriptionChanged" -> new Change(record, event.eventId(), null, null, subscriptionPaid(json));
                case "ReturnUpdated" -> new Change(record, event.eventId(), null, null, returned(json));
                default -> supplierOrderChange(record, event.eventId(), json);
            };
        } catch (DateTimeException | NumberFormatException e) {
            throw new PoisonMessageException(topic + " event " + event.eventId() + ": " + e.getMessage());
        }
    }

    private static Change supplierOrderChange(ConsumerRecord<String, String> record, String eventId, JsonNode json) {
        String topic = record.topic();
        UUID so = uuid(json, "supplierOrderId", topic);
        if (topic.equals("SupplierOrderRouted") && !json.path("noCharge").asBoolean(false)) {
            return new Change(
                    record,
                    eventId,
                    so,
                    new SalesOrder(uuid(json, "orderId", topic), text(json, "retailerId", topic)),
                    routed(so, json));
        }
        return new Change(record, eventId, so, null, effect(topic, so, json));
    }

    /** The rows an event about a supplier order's fate writes; a reship at no charge is not a sale and writes none. */
    private static Function<SqlConnection, Uni<?>> effect(String topic, UUID so, JsonNode json) {
        return switch (topic) {
            case "SupplierOrderCancelled", "SupplierOrderRejected" ->
                state(
                        so,
                        "void = true",
                        "void = case when sales_supplier_order.shipped_at is null then true else sales_supplier_order.void end",
                        null);
            case "Shipped" ->
                state(
                        so,
                        "shipped_at = $2",
                        "shipped_at = coalesce(sales_supplier_order.shipped_at, excluded.shipped_at), void = false",
                        Instant.parse(text(json, "shippedAt", topic)).atOffset(ZoneOffset.UTC));
            case "Settled" -> settled(so, json);
            default -> c -> Uni.createFrom().voidItem();
        };
    }

    /** A return, from its first update on (the request, or whichever update comes first): the reports' return rates. */
    private static Function<SqlConnection, Uni<?>> returned(JsonNode e) {
        String topic = "ReturnUpdated";
        OffsetDateTime at = Instant.parse(text(e, "occurredAt", topic)).atOffset(ZoneOffset.UTC);
        Tuple values = Tuple.tuple()
                .addString(text(e, "returnId", topic))
                .addString(text(e, "retailerId", topic))
                .addString(text(e, "supplierId", topic))
                .addUUID(uuid(e, "orderId", topic))
                .addUUID(uuid(e, "supplierOrderId", topic))
                .addString(text(e, "status", topic))
                .addOffsetDateTime(at);
        return c -> c.preparedQuery(
                        "insert into sales_return as r (return_id, retailer_id, supplier_id, order_id, supplier_order_id,"
                                + " status, requested_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)"
                                + " on conflict (return_id) do update set requested_at = least(r.requested_at, excluded.requested_at),"
                                + " status = case when excluded.updated_at >= r.updated_at then excluded.status else r.status end,"
                                + " updated_at = greatest(r.updated_at, excluded.updated_at)")
                .execute(values);
    }

    /** A subscription invoice paid: the platform's subscription revenue, once per invoice. */
    private static Function<SqlConnection, Uni<?>> subscriptionPaid(JsonNode e) {
        JsonNode paid = e.path("invoicePaid");
        if (!paid.isObject()) {
            return c -> Uni.createFrom().voidItem();
        }
        String topic = "SubscriptionChanged";
        Tuple values = Tuple.tuple()
                .addString(text(paid, "invoiceId", topic))
                .addString(text(e, "retailerId", topic))
                .addString(text(e, "plan", topic))
                .addValue(new BigDecimal(text(paid, "amountPaid", topic)))
                .addString(text(paid, "currency", topic))
                .addOffsetDateTime(Instant.parse(text(paid, "paidAt", topic)).atOffset(ZoneOffset.UTC));
        return c -> c.preparedQuery(
                        "insert into subscription_revenue (invoice_id, retailer_id, plan, amount, currency, paid_at)"
                                + " values ($1, $2, $3, $4, $5, $6) on conflict (invoice_id) do nothing")
                .execute(values);
    }

    /**
     * The supplier order's lines: revenue at the retail price, cost at wholesale plus each line's share of the
     * supplier order's shipping.
     */
    private static Function<SqlConnection, Uni<?>> routed(UUID so, JsonNode e) {
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
        OffsetDateTime routedAt = Instant.parse(
                        e.path("routedAt").asText(Instant.now().toString()))
                .atOffset(ZoneOffset.UTC);
        List<Tuple> rows = new ArrayList<>();
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
            rows.add(Tuple.tuple()
                    .addUUID(so)
                    .addString(l.path("lineId").asText())
                    .addUUID(order)
                    .addString(e.path("retailerId").asText())
                    .addString(l.path("listingId").asText(null))
                    .addString(e.path("supplierId").asText())
                    .addString(l.path("sku").asText())
                    .addString(l.path("title").asText(null))
                    .addString(e.path("currency").asText("USD"))
                    .addInteger(quantity)
                    .addValue(revenue)
                    .addValue(cost)
                    .addOffsetDateTime(routedAt));
        }
        return c -> {
            Uni<?> supplierOrder = c.preparedQuery(
                            "insert into sales_supplier_order (supplier_order_id, cost_total) values ($1, $2)"
                                    + " on conflict (supplier_order_id) do update set cost_total = excluded.cost_total")
                    .execute(Tuple.tuple().addUUID(so).addValue(total));
            if (rows.isEmpty()) {
                return supplierOrder;
            }
            return supplierOrder.chain(() -> c.preparedQuery("insert into sales_line (supplier_order_id, line_id,"
                            + " order_id, retailer_id, store_id, listing_id, supplier_id, sku, title, currency,"
                            + " quantity, revenue, cost, routed_at) values ($1, $2, $3, $4,"
                            + " (select store_id from customer_order where id = $3), $5, $6, $7, left($8, 300), $9,"
                            + " $10, $11, $12, $13) on conflict do nothing")
                    .executeBatch(rows));
        };
    }

    /**
     * The platform's fee split in two: the retailer's (its plan's fee, in the retailer's report) and a featured
     * supplier's listing fee (the supplier's, a line of its own in the platform's report).
     */
    private static Function<SqlConnection, Uni<?>> settled(UUID so, JsonNode e) {
        BigDecimal listingFee =
                e.hasNonNull("listingFee") ? new BigDecimal(e.get("listingFee").asText()) : BigDecimal.ZERO;
        BigDecimal fee = new BigDecimal(text(e, "platformFee", "Settled")).subtract(listingFee);
        return c -> c.preparedQuery("insert into sales_supplier_order (supplier_order_id, fee, listing_fee)"
                        + " values ($1, $2, $3) on conflict (supplier_order_id) do update"
                        + " set fee = excluded.fee, listing_fee = excluded.listing_fee")
                .execute(Tuple.tuple().addUUID(so).addValue(fee).addValue(listingFee));
    }

    /** A supplier order's state: void (cancelled or rejected before it shipped) or shipped at ($2). */
    private static Function<SqlConnection, Uni<?>> state(UUID so, String set, String onConflict, Object value) {
        String column = set.substring(0, set.indexOf(' '));
        String insertValue =
                value == null ? "true" : set.substring(set.indexOf('=') + 1).strip();
        String sql = "insert into sales_supplier_order (supplier_order_id, " + column + ") values ($1, " + insertValue
                + ") on conflict (supplier_order_id) do update set " + onConflict;
        Tuple values = value == null ? Tuple.of(so) : Tuple.of(so, value);
        return c -> c.preparedQuery(sql).execute(values);
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
