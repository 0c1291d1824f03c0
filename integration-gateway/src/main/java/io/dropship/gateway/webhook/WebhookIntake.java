package io.dropship.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.gateway.domain.NormalizedOrder;
import io.dropship.gateway.domain.StoreOrderState;
import io.dropship.gateway.domain.StoreOrders;
import io.dropship.gateway.domain.StorePlatform;
import io.dropship.gateway.entity.InboundOrder;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.gateway.messaging.events.OrderCancelled;
import io.dropship.gateway.messaging.events.OrderPlaced;
import io.dropship.gateway.privacy.PrivacyRequests;
import io.dropship.gateway.service.OrderIntake;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.sql.SqlValues;
import io.dropship.platform.work.Backoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Takes in a verified store webhook: records it durably under a delivery key (a redelivery finds the key
 * and changes nothing), judges it against the newest state of its store order ({@link StoreOrderState}), and acts
 * on it, all in one transaction.
 *
 * <p>A store delivery is never acknowledged and then forgotten. When processing fails, the delivery is kept as
 * PENDING (answered 202) and {@link WebhookRetries} retries it until it succeeds; a later delivery of the same event
 * processes it at once instead of being answered DUPLICATE. When even keeping it fails (the database is down), the
 * answer is 503 and the store retries. A valid delivery is otherwise never answered with an error, because
 * WooCommerce disables a webhook after five failures and Shopify would retry a payload that will never change.
 */
@ApplicationScoped
public class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);

    /** How long a kept delivery waits before the platform's first retry, doubling up to ten minutes. */
    static final Backoff RETRY = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10));

    public record Outcome(String outcome, String detail, UUID orderId) {

        static final String PENDING = "PENDING";
        /** The delivery brought the order in; its OrderPlaced names the webhook. */
        static final String ORDER_ACCEPTED = "ORDER_ACCEPTED";
    }

    /**
     * A verified delivery: whose store, what topic, under which key, about which resource, and the store's time for
     * the state it describes (Shopify's X-Shopify-Triggered-At, WooCommerce's date_modified_gmt).
     */
    public record Delivery(
            StoreConnection store,
            String topic,
            String deliveryKey,
            String resourceId,
            Instant triggeredAt,
            JsonNode body) {}

    private final Mutiny.SessionFactory sessions;
    private final OrderIntake orders;
    private final Validator validator;
    private final Outbox outbox;
    private final PrivacyRequests privacy;
    private final io.dropship.gateway.accounts.Retailers retailers;

    private final io.dropship.gateway.service.StoreConnections stores;

    private final int maxInFlight;

    public WebhookIntake(
            Mutiny.SessionFactory sessions,
            OrderIntake orders,
            Validator validator,
            Outbox outbox,
            PrivacyRequests privacy,
            io.dropship.gateway.accounts.Retailers retailers,
            io.dropship.gateway.service.StoreConnections stores,
            io.dropship.gateway.config.GatewayConfig config) {
        this.maxInFlight = config.webhooks().maxInFlight();
        this.stores = stores;
        this.sessions = sessions;
        this.orders = orders;
        this.validator = validator;
        this.outbox = outbox;
        this.privacy = privacy;
        this.retailers = retailers;
    }

    public Uni<Outcome> take(Delivery d) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return queue(d);
        }
        return sessions.withTransaction(s -> claim(s, d)
                        .chain(fresh -> fresh
                                ? process(s, d)
                                : Uni.createFrom().item(new Outcome("DUPLICATE", "already received", null))))
                .onFailure()
                .recoverWithUni(e -> keepForRetry(d, e))
                .onTermination()
                .invoke(inFlight::decrementAndGet);
    }

    /** Deliveries being taken in by this instance now. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    /** Told when a delivery was queued: the retry job, which takes it in. */
    private volatile Runnable onQueued = () -> {};

    void onQueued(Runnable listener) {
        this.onQueued = listener;
    }

    /**
     * Keeps a delivery that came while {@code max-in-flight} others were being taken in: one insert, due at once, and
     * the retry job takes it in behind them. A delivery already recorded is answered as it stands (DUPLICATE, or
     * PENDING while it waits).
     */
    private Uni<Outcome> queue(Delivery d) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "insert into webhook_delivery (store_id, topic, delivery_key, resource_id, triggered_at,"
                                        + " outcome, detail, body, received_at, attempts, next_attempt_at)"
                                        + " values (:store, :topic, :key, :resource, :triggered, 'PENDING', :detail,"
                                        + " cast(cast(:body as text) as jsonb), now(), 0, now())"
                                        + " on conflict (store_id, delivery_key) do nothing returning outcome",
                                String.class)
                        .setParameter("store", d.store().id)
                        .setParameter("topic", d.topic())
                        .setParameter("key", d.deliveryKey())
                        .setParameter("resource", d.resourceId())
                        .setParameter("triggered", d.triggeredAt())
                        .setParameter("detail", "queued: " + maxInFlight + " deliveries were being taken in")
                        .setParameter("body", d.body().toString())
                        .getResultList()
                        .chain(inserted -> !inserted.isEmpty()
                                ? Uni.createFrom().item(Outcome.PENDING)
                                : s.createNativeQuery(
                                                "select outcome from webhook_delivery where store_id = :store"
                                                        + " and delivery_key = :key",
                                                String.class)
                                        .setParameter("store", d.store().id)
                                        .setParameter("key", d.deliveryKey())
                                        .getSingleResult()))
                .map(outcome -> {
                    if (Outcome.PENDING.equals(outcome)) {
                        onQueued.run();
                        return new Outcome(Outcome.PENDING, "queued; the platform takes it in shortly", null);
                    }
                    return new Outcome("DUPLICATE", "already received", null);
                })
                .onFailure()
                .recoverWithUni(e -> keepForRetry(d, e));
    }

    /**
     * Records the delivery, or takes over a kept PENDING copy of it; {@code false} when the same delivery was
     * already taken in. A retry round working on the kept copy holds its row lock, so this waits for it and then
     * finds it no longer PENDING.
     */
    private static Uni<Boolean> claim(Mutiny.Session s, Delivery d) {
        return s.createNativeQuery(
                        "insert into webhook_delivery (store_id, topic, delivery_key, resource_id, triggered_at,"
                                + " outcome, body, received_at) values (:store, :topic, :key, :resource, :triggered, 'RECEIVED',"
                                + " cast(cast(:body as text) as jsonb), now())"
                                + " on conflict (store_id, delivery_key) do update set outcome = 'RECEIVED'"
                                + " where webhook_delivery.outcome = 'PENDING'")
                .setParameter("store", d.store().id)
                .setParameter("topic", d.topic())
                .setParameter("key", d.deliveryKey())
                .setParameter("resource", d.resourceId())
                .setParameter("triggered", d.triggeredAt())
                .setParameter("body", d.body().toString())
                .executeUpdate()
                .map(rows -> rows == 1);
    }

    /** Judges and acts on a claimed delivery and records its outcome, in the caller's transaction. */
    Uni<Outcome> process(Mutiny.Session s, Delivery d) {
        StoreOrderState.Kind kind = kindOf(d);
        Uni<Outcome> outcome = d.topic().equals("orders/cancelled") && kind != StoreOrderState.Kind.CANCEL
                // The topic is a header; the signature covers the body only. A signed order replayed under this
                // topic does not cancel anything: the destructive act needs the body to say so.
                ? Uni.createFrom()
                        .item(new Outcome(
                                "INVALID",
                                "an orders/cancelled delivery whose order carries no"
                                        + " cancelled_at is not a cancellation; nothing was done",
                                null))
                : kind == null || d.resourceId() == null
                        ? act(s, d, null)
                        : judge(s, d, kind).chain(verdict -> switch (verdict) {
                            case STALE ->
                                Uni.createFrom()
                                        .item(new Outcome(
                                                "STALE",
                                                "a newer state of this store order was already taken in",
                                                null));
                            case ALREADY_CANCELLED ->
                                Uni.createFrom()
                                        .item(new Outcome(
                                                "CANCELLED_BY_STORE",
                                                "the store cancelled this order; it is never sent to a supplier",
                                                null));
                            case APPLY -> act(s, d, kind);
                        });
        return outcome.call(o -> s.createNativeQuery("update webhook_delivery set outcome = :o, detail = :d,"
                        + " next_attempt_at = null where store_id = :store and delivery_key = :key")
                .setParameter("o", o.outcome())
                .setParameter("d", SqlValues.fit(o.detail(), 1000))
                .setParameter("store", d.store().id)
                .setParameter("key", d.deliveryKey())
                .executeUpdate()
                .chain(() -> inTimeline(s, d, o)));
    }

    /**
     * A delivery about an order the platform took in goes into the order's timeline (OrderActivity), except the one
     * that brought the order in: its OrderPlaced, in the same transaction, names the webhook (one event fewer per
     * order).
     */
    private Uni<Void> inTimeline(Mutiny.Session s, Delivery d, Outcome o) {
        if (o.outcome().equals(Outcome.ORDER_ACCEPTED)) {
            return Uni.createFrom().voidItem();
        }
        Uni<UUID> order = o.orderId() != null
                ? Uni.createFrom().item(o.orderId())
                : d.resourceId() == null
                        ? Uni.createFrom().nullItem()
                        : s.createNativeQuery(
                                        "select id from inbound_order where store_id = :store and store_order_id = :order",
                                        UUID.class)
                                .setParameter("store", d.store().id)
                                .setParameter("order", d.resourceId())
                                .getResultList()
                                .map(ids -> ids.isEmpty() ? null : ids.get(0));
        return order.chain(id -> id == null
                ? Uni.createFrom().voidItem()
                : io.dropship.platform.outbox.OrderActivity.publish(
                        outbox,
                        s,
                        id,
                        "integration-gateway",
                        "STORE_WEBHOOK",
                        "Webhook " + d.topic() + " from the "
                                + d.store().platform.toLowerCase() + " store: " + o.outcome()
                                + (o.detail() == null ? "" : " (" + o.detail() + ")"),
                        java.util.Map.of(
                                "topic",
                                d.topic(),
                                "deliveryKey",
                                d.deliveryKey(),
                                "outcome",
                                o.outcome(),
                                "triggeredAt",
                                String.valueOf(d.triggeredAt()))));
    }

    /**
     * What the delivery says of its store order, or null when it is not about one. Shopify sends the whole order on
     * every orders/* topic, so the order's own fields decide, not the topic (a header the signature does not cover):
     * one that carries cancelled_at, or whose whole payment was refunded or voided, is a cancellation whatever its
     * topic, and nothing else is; one that is paid (or, for a
     * store that fulfils on creation, any live one) is ready to fulfil, so an orders/updated (an edit, a partial
     * refund) that overtakes the orders/paid it follows still places the order, with its lines as edited.
     */
    static StoreOrderState.Kind kindOf(Delivery d) {
        JsonNode body = d.body();
        switch (d.topic()) {
            case "orders/create", "orders/paid", "orders/updated", "orders/cancelled":
                String financial = body.path("financial_status").asText("");
                if (body.hasNonNull("cancelled_at") || financial.equals("refunded") || financial.equals("voided")) {
                    return StoreOrderState.Kind.CANCEL;
                }
                boolean ready = "orders/create".equals(d.store().fulfilOn)
                        || d.topic().equals("orders/paid")
                        || financial.equals("paid")
                        || financial.equals("partially_refunded");
                return ready ? StoreOrderState.Kind.PLACE : StoreOrderState.Kind.OTHER;
            case "order.created", "order.updated":
                if ("cancelled".equals(body.path("status").asText())) {
                    return StoreOrderState.Kind.CANCEL;
                }
                return StoreOrders.wooReadyToFulfil(body) ? StoreOrderState.Kind.PLACE : StoreOrderState.Kind.OTHER;
            default:
                return null;
        }
    }

    /**
     * Locks the store order's state row, judges the delivery against it and keeps the newer state. The first delivery
     * about a store order (most of them: a store sends an order once when it is paid) is judged against
     * {@link StoreOrderState#UNKNOWN} and its state inserted as it stands, one statement; a later one finds the row
     * there, locks it and updates it.
     */
    private static Uni<StoreOrderState.Verdict> judge(Mutiny.Session s, Delivery d, StoreOrderState.Kind kind) {
        StoreOrderState.Decision first = StoreOrderState.UNKNOWN.decide(kind, d.triggeredAt());
        return s.createNativeQuery(
                        "insert into store_order_state (store_id, store_order_id, state_at, cancelled, updated_at)"
                                + " values (:store, :order, :at, :cancelled, now()) on conflict do nothing")
                .setParameter("store", d.store().id)
                .setParameter("order", d.resourceId())
                .setParameter("at", first.next().stateAt())
                .setParameter("cancelled", first.next().cancelled())
                .executeUpdate()
                .chain(inserted ->
                        inserted == 1 ? Uni.createFrom().item(first.verdict()) : judgeAgainstKnown(s, d, kind));
    }

    private static Uni<StoreOrderState.Verdict> judgeAgainstKnown(
            Mutiny.Session s, Delivery d, StoreOrderState.Kind kind) {
        return s.createNativeQuery(
                        "select state_at, cancelled from store_order_state"
                                + " where store_id = :store and store_order_id = :order for update",
                        Object[].class)
                .setParameter("store", d.store().id)
                .setParameter("order", d.resourceId())
                .getSingleResult()
                .chain(row -> {
                    StoreOrderState current = new StoreOrderState(SqlValues.instant(row[0]), (Boolean) row[1]);
                    StoreOrderState.Decision decision = current.decide(kind, d.triggeredAt());
                    if (decision.next().equals(current)) {
                        return Uni.createFrom().item(decision.verdict());
                    }
                    return s.createNativeQuery("update store_order_state set state_at = :at, cancelled = :cancelled,"
                                    + " updated_at = now() where store_id = :store and store_order_id = :order")
                            .setParameter("at", decision.next().stateAt())
                            .setParameter("cancelled", decision.next().cancelled())
                            .setParameter("store", d.store().id)
                            .setParameter("order", d.resourceId())
                            .executeUpdate()
                            .replaceWith(decision.verdict());
                });
    }

    private Uni<Outcome> act(Mutiny.Session s, Delivery d, StoreOrderState.Kind kind) {
        StorePlatform platform = StorePlatform.valueOf(d.store().platform);
        boolean shopify = platform == StorePlatform.SHOPIFY;
        if (kind == StoreOrderState.Kind.CANCEL) {
            String reason = !shopify
                    ? null
                    : d.body().hasNonNull("cancel_reason")
                            ? d.body().path("cancel_reason").asText()
                            : d.body().hasNonNull("cancelled_at") || d.topic().equals("orders/cancelled")
                                    ? null
                                    : "the store "
                                            + d.body().path("financial_status").asText() + " the whole payment";
            return cancel(s, d, reason);
        }
        if (kind == StoreOrderState.Kind.PLACE) {
            NormalizedOrder order;
            try {
                order = shopify ? StoreOrders.fromShopify(d.body()) : StoreOrders.fromWooCommerce(d.body());
            } catch (IllegalArgumentException unreadable) {
                // A signed order the platform cannot read is not a transient failure: kept for retry, it would fail
                // the same way for ever. It is recorded INVALID, with the reason, and the store stops sending it.
                return Uni.createFrom()
                        .item(new Outcome("INVALID", SqlValues.fit(unreadable.getMessage(), 1000), null));
            }
            return accept(s, d, order, platform, shopify ? "shopify:" : "woocommerce:");
        }
        if (kind == StoreOrderState.Kind.OTHER) {
            return Uni.createFrom()
                    .item(new Outcome(
                            "IGNORED",
                            !shopify
                                    ? "status " + d.body().path("status").asText() + ": waiting for payment"
                                    : "financial status "
                                            + d.body().path("financial_status").asText()
                                            + ": this store starts fulfilment" + " on " + d.store().fulfilOn,
                            null));
        }
        switch (d.topic()) {
            case "app/uninstalled":
                // Shopify revoked the token and dropped the shop's subscriptions: the token is erased with them. The
                // customers' data goes 48 hours later, when Shopify sends shop/redact.
                return s.find(StoreConnection.class, d.store().id)
                        .invoke(c -> {
                            c.status = "UNINSTALLED";
                            c.apiToken = stores.seal("");
                            c.updatedAt = Instant.now();
                        })
                        .call(() -> s.createNativeQuery("delete from store_webhook where store_id = :id")
                                .setParameter("id", d.store().id)
                                .executeUpdate())
                        .replaceWith(new Outcome(
                                "STORE_UNINSTALLED",
                                "the store stops sending and receiving; its token is erased",
                                null));
            case "customers/redact", "customers/data_request", "shop/redact":
                return privacyRequest(s, d);
            default:
                return Uni.createFrom().item(new Outcome("IGNORED", "topic " + d.topic() + " is not handled", null));
        }
    }

    /**
     * Shopify's privacy webhooks: the customer asks to be erased (customers/redact) or for their data
     * (customers/data_request, which the retailer then fetches from the API), or the store, 48 hours after it
     * uninstalled the app, is purged (shop/redact). Shopify wants a 200 at once and the work done within 30 days;
     * the request is recorded and carried out by every service ({@link PrivacyRequests}).
     */
    private Uni<Outcome> privacyRequest(Mutiny.Session s, Delivery d) {
        JsonNode body = d.body();
        PrivacyRequests.Kind kind = switch (d.topic()) {
            case "customers/redact" -> PrivacyRequests.Kind.REDACT_CUSTOMER;
            case "customers/data_request" -> PrivacyRequests.Kind.EXPORT_CUSTOMER;
            default -> PrivacyRequests.Kind.REDACT_STORE;
        };
        java.util.List<String> orders = new java.util.ArrayList<>();
        body.path(kind == PrivacyRequests.Kind.EXPORT_CUSTOMER ? "orders_requested" : "orders_to_redact")
                .forEach(o -> orders.add(o.asText()));
        JsonNode customer = body.path("customer");
        if (kind != PrivacyRequests.Kind.REDACT_STORE
                && customer.path("email").asText("").length() > 200) {
            return Uni.createFrom()
                    .item(new Outcome("INVALID", "the customer's e-mail is longer than 200 characters", null));
        }
        PrivacyRequests.Subject who = kind == PrivacyRequests.Kind.REDACT_STORE
                ? new PrivacyRequests.Subject(null, null, null)
                : new PrivacyRequests.Subject(
                        customer.path("email").asText(null),
                        orders,
                        customer.hasNonNull("id") ? customer.get("id").asText() : null);
        String shopifyRequest = body.path("data_request").hasNonNull("id")
                ? body.path("data_request").get("id").asText()
                : null;
        return privacy.start(s, kind, "SHOPIFY", d.store().retailerId, d.store().id, who, shopifyRequest)
                .map(id -> new Outcome("PRIVACY_REQUEST_ACCEPTED", "privacy request " + id, null));
    }

    /**
     * The store cancelled an order: if it is one we took in, OrderCancelled goes out in this transaction,
     * once; order-service then cancels what has not shipped. A cancellation of an order we never took in
     * (unpaid, unmapped, or not yet arrived) is recorded in the order's state, so its payment, should it arrive
     * later, never reaches a supplier.
     */
    private Uni<Outcome> cancel(Mutiny.Session s, Delivery d, String reason) {
        String storeOrderId = d.body().path("id").asText("");
        return s.createSelectionQuery(
                        "from InboundOrder where storeId = :store and storeOrderId = :order", InboundOrder.class)
                .setParameter("store", d.store().id)
                .setParameter("order", storeOrderId)
                .getSingleResultOrNull()
                .chain(order -> {
                    if (order == null) {
                        return Uni.createFrom()
                                .item(new Outcome(
                                        "CANCELLATION_RECORDED",
                                        "store order " + storeOrderId + " was never taken in; nothing to cancel",
                                        null));
                    }
                    if (order.cancelledAt != null) {
                        return Uni.createFrom()
                                .item(new Outcome("ORDER_ALREADY_CANCELLED", order.orderNumber, order.id));
                    }
                    order.cancelledAt = Instant.now();
                    return outbox.publish(
                                    s,
                                    OrderCancelled.TOPIC,
                                    order.id.toString(),
                                    new OrderCancelled(
                                            order.id,
                                            order.orderNumber,
                                            order.retailerId,
                                            order.storeId,
                                            order.storeOrderId,
                                            "STORE",
                                            reason,
                                            order.cancelledAt))
                            .replaceWith(new Outcome("ORDER_CANCELLED", order.orderNumber, order.id));
                });
    }

    private Uni<Outcome> accept(
            Mutiny.Session s, Delivery d, NormalizedOrder order, StorePlatform platform, String keyPrefix) {
        Set<ConstraintViolation<NormalizedOrder>> violations = validator.validate(order);
        if (!violations.isEmpty()) {
            String detail = violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + " " + v.getMessage())
                    .collect(Collectors.joining("; "));
            return Uni.createFrom().item(new Outcome("INVALID", detail, null));
        }
        return retailers
                .suspended(s, d.store().retailerId)
                .chain(suspended -> suspended.isPresent()
                        // Recorded with its body like any delivery, and not taken in: nothing goes to a supplier for a
                        // suspended
                        // retailer. The store is answered 200 so that it does not retry for days.
                        ? Uni.createFrom()
                                .item(new Outcome(
                                        "RETAILER_SUSPENDED",
                                        "the retailer is suspended (" + suspended.get()
                                                + "); the order was not taken in",
                                        null))
                        : orders.accept(
                                        d.store().retailerId,
                                        d.store().id,
                                        platform,
                                        keyPrefix + order.storeOrderId(),
                                        order,
                                        new OrderPlaced.Webhook(d.topic(), d.deliveryKey(), d.triggeredAt()))
                                .map(a -> new Outcome(
                                        a.duplicate() ? "ORDER_ALREADY_TAKEN" : Outcome.ORDER_ACCEPTED,
                                        a.duplicate() && !d.topic().equals(d.store().fulfilOn)
                                                ? a.orderNumber() + "; later changes to its lines are not"
                                                        + " applied to the supplier orders (cancel it, or edit it with support)"
                                                : a.orderNumber(),
                                        a.orderId())));
    }

    /**
     * Keeps a delivery that could not be processed, for {@link WebhookRetries}. When it cannot be kept either, the
     * original failure goes back to the store as an error (503 when the database is unreachable), and the store
     * retries it.
     */
    private Uni<Outcome> keepForRetry(Delivery d, Throwable failure) {
        LOG.warnf(
                failure,
                "webhook %s from store %s could not be processed; keeping it for retry",
                d.deliveryKey(),
                d.store().id);
        String detail = SqlValues.fit("will retry: " + failure, 1000);
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "insert into webhook_delivery (store_id, topic, delivery_key,"
                                        + " resource_id, triggered_at, outcome, detail, body, received_at, attempts, next_attempt_at)"
                                        + " values (:store, :topic, :key, :resource, :triggered, 'PENDING', :detail,"
                                        + " cast(cast(:body as text) as jsonb), now(), 1, now() + make_interval(secs => :wait))"
                                        + " on conflict (store_id, delivery_key) do update set detail = excluded.detail,"
                                        + " attempts = webhook_delivery.attempts + 1, next_attempt_at = excluded.next_attempt_at"
                                        + " where webhook_delivery.outcome = 'PENDING'")
                        .setParameter("store", d.store().id)
                        .setParameter("topic", d.topic())
                        .setParameter("key", d.deliveryKey())
                        .setParameter("resource", d.resourceId())
                        .setParameter("triggered", d.triggeredAt())
                        .setParameter("detail", detail)
                        .setParameter("wait", (double) RETRY.after(1).toMillis() / 1000)
                        .setParameter("body", d.body().toString())
                        .executeUpdate())
                .replaceWith(new Outcome(Outcome.PENDING, "kept; the platform retries it", null))
                .onFailure()
                .transform(e -> {
                    LOG.errorf(
                            e,
                            "webhook %s from store %s could not be kept either; the store is asked to retry",
                            d.deliveryKey(),
                            d.store().id);
                    return failure;
                });
    }
}
