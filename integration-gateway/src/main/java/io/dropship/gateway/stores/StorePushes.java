package io.dropship.gateway.stores;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.gateway.config.GatewayConfig;
import io.dropship.gateway.entity.InboundOrder;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.gateway.messaging.events.Shipped;
import io.dropship.platform.sql.SqlValues;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.work.Backoff;
import io.dropship.platform.work.WorkQueue;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * The calls the gateway owes stores, kept in its database: recorded in the transaction that takes in the
 * event that causes them, claimed by a {@link StorePushWorker} with a lease (so a crashed instance's calls are
 * picked up again), and settled as done, to be retried with backoff, or failed.
 */
@ApplicationScoped
public class StorePushes {

    private static final Logger LOG = Logger.getLogger(StorePushes.class);

    public static final String TRACKING = "TRACKING";
    public static final String CANCEL = "CANCEL";

    /** A claimed push: what to do, for which store, at which step, on which attempt. */
    public record Claimed(
            long id, String kind, String storeId, UUID orderId, String payload, String step, int attempts) {}

    private final Mutiny.SessionFactory sessions;
    private final ObjectMapper mapper;
    private final GatewayConfig.StorePush config;
    /** Calls to make, claimed with a lease (the calls of a round take at most 20 timeouts). */
    private final WorkQueue queue;

    private final io.dropship.platform.outbox.Outbox outbox;

    /** The syncer's wake-up, run once work it should look at is committed (a no-op until the syncer starts). */
    private volatile Runnable due = () -> {};

    /** Set by the syncer at start. */
    public void whenDue(Runnable wake) {
        this.due = wake;
    }

    /** Wakes the syncer: its work was committed, here or by a caller whose transaction made it. */
    public void workCommitted() {
        due.run();
    }

    public StorePushes(
            Mutiny.SessionFactory sessions,
            ObjectMapper mapper,
            GatewayConfig config,
            io.dropship.platform.outbox.Outbox outbox) {
        this.outbox = outbox;
        this.sessions = sessions;
        this.mapper = mapper;
        this.config = config.storePush();
        this.queue = WorkQueue.of(
                "store_push",
                "id",
                this.config.timeout().multipliedBy(20),
                new Backoff(this.config.backoffInitial(), this.config.backoffMax()),
                this.config.maxAttempts());
    }

    /**
     * Records a shipment against its order's store lines and, for a Shopify or WooCommerce store, the
     * tracking call the store is owed. A shipment already recorded changes nothing.
     */
    public Uni<Void> recordShipment(Mutiny.Session s, Shipped shipped) {
        return s.find(InboundOrder.class, shipped.orderId()).chain(order -> {
            if (order == null) {
                LOG.warnf(
                        "Shipped %s is for order %s, which this gateway did not take in; nothing to tell a store",
                        shipped.shipmentId(), shipped.orderId());
                return Uni.createFrom().voidItem();
            }
            String payload;
            try {
                payload = mapper.writeValueAsString(shipped);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            boolean storeCall = order.storePlatform.equals("SHOPIFY") || order.storePlatform.equals("WOOCOMMERCE");
            String step = order.storePlatform.equals("SHOPIFY")
                    ? "FULFIL"
                    : order.storePlatform.equals("WOOCOMMERCE") ? "NOTE" : "NONE";
            return s.createNativeQuery(
                            "insert into store_push (kind, store_id, order_id, shipment_id, payload, status, step,"
                                    + " next_attempt_at, last_error, created_at, updated_at, done_at)"
                                    + " values (:kind, :store, :order, :shipment, cast(cast(:payload as text) as jsonb), :status, :step, now(),"
                                    + " :detail, now(), now(), :done) on conflict (kind, shipment_id) do nothing")
                    .setParameter("kind", TRACKING)
                    .setParameter("store", order.storeId)
                    .setParameter("order", order.id)
                    .setParameter("shipment", shipped.shipmentId())
                    .setParameter("payload", payload)
                    .setParameter("status", storeCall ? "PENDING" : "DONE")
                    .setParameter("step", step)
                    .setParameter("detail", storeCall ? null : "a custom store reads tracking through the API")
                    .setParameter("done", storeCall ? null : Instant.now())
                    .executeUpdate()
                    .chain(rows ->
                            rows == 0 ? Uni.createFrom().voidItem() : countShipped(s, order.id, shipped.lines()));
        });
    }

    /**
     * Records the cancellation a Shopify or WooCommerce store is owed for an order the platform cancelled; a custom
     * store reads it through the API (the call is DONE at once). Once per order: a redelivery adds nothing.
     */
    public Uni<Void> recordCancellation(
            Mutiny.Session s, io.dropship.gateway.messaging.events.OrderStatusChanged cancelled) {
        return s.find(InboundOrder.class, cancelled.orderId()).chain(order -> {
            if (order == null) {
                LOG.warnf(
                        "order %s was cancelled, but this gateway did not take it in; no store to tell",
                        cancelled.orderId());
                return Uni.createFrom().voidItem();
            }
            String payload;
            try {
                payload = mapper.writeValueAsString(cancelled);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            boolean storeCall = order.storePlatform.equals("SHOPIFY") || order.storePlatform.equals("WOOCOMMERCE");
            return s.createNativeQuery(
                            "insert into store_push (kind, store_id, order_id, shipment_id, payload, status, step,"
                                    + " next_attempt_at, last_error, created_at, updated_at, done_at)"
                                    + " values (:kind, :store, :order, null, cast(cast(:payload as text) as jsonb), :status, :step, now(),"
                                    + " :detail, now(), now(), :done) on conflict (order_id) where kind = 'CANCEL' do nothing")
                    .setParameter("kind", CANCEL)
                    .setParameter("store", order.storeId)
                    .setParameter("order", order.id)
                    .setParameter("payload", payload)
                    .setParameter("status", storeCall ? "PENDING" : "DONE")
                    .setParameter("step", storeCall ? "CANCEL" : "NONE")
                    .setParameter("detail", storeCall ? null : "a custom store reads the cancellation through the API")
                    .setParameter("done", storeCall ? null : Instant.now())
                    .executeUpdate()
                    .replaceWithVoid();
        });
    }

    private static Uni<Void> countShipped(Mutiny.Session s, UUID orderId, List<Shipped.Line> lines) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Shipped.Line line : lines == null ? List.<Shipped.Line>of() : lines) {
            chain = chain.chain(
                    () -> s.createNativeQuery("update inbound_order_line set shipped_quantity = shipped_quantity + :q"
                                    + " where order_id = :order and line_id = :line")
                            .setParameter("q", line.quantity())
                            .setParameter("order", orderId)
                            .setParameter("line", line.lineId())
                            .executeUpdate()
                            .replaceWithVoid());
        }
        return chain;
    }

    /** Due pushes, leased to this caller; another instance skips them (SKIP LOCKED) until the lease runs out. */
    @SuppressWarnings("unchecked")
    public Uni<List<Claimed>> claim() {
        // An IN_FLIGHT push whose lease ran out (its instance died) is due again.
        return sessions.withTransaction(s -> s.createNativeQuery(
                        queue.claimSql(
                                "status in ('PENDING', 'IN_FLIGHT') and next_attempt_at <= now()",
                                "status = 'IN_FLIGHT', updated_at = now()",
                                "next_attempt_at",
                                ":n",
                                "id, kind, store_id, order_id, cast(payload as text), step, attempts"),
                        Object[].class)
                .setParameter("n", config.batchSize())
                .getResultList()
                .map(rows -> rows.stream()
                        .map(r -> new Claimed(
                                ((Number) r[0]).longValue(),
                                (String) r[1],
                                (String) r[2],
                                (UUID) r[3],
                                (String) r[4],
                                (String) r[5],
                                ((Number) r[6]).intValue()))
                        .toList()));
    }

    public Uni<Void> advance(long id, String step, String reference) {
        return update(
                id,
                "update store_push set step = :step, store_reference = coalesce(:ref, store_reference),"
                        + " last_error = null, updated_at = now() where id = :id",
                q -> q.setParameter("step", step).setParameter("ref", reference));
    }

    public Uni<Void> done(long id, String reference, String detail) {
        return settle(
                id,
                "update store_push set status = 'DONE', step = 'DONE', store_reference = coalesce(:ref, store_reference),"
                        + " last_error = :detail, lease_until = null, done_at = now(), updated_at = now() where id = :id",
                q -> q.setParameter("ref", reference).setParameter("detail", detail));
    }

    /** Retries after the store's own wait, or with exponential backoff; FAILED once the attempts are used up. */
    public Uni<Void> retry(Claimed push, Duration after, String error) {
        WorkQueue.Retry next = queue.afterFailure(push.attempts(), after);
        if (next.giveUp()) {
            return failed(push.id(), error + " (gave up after " + push.attempts() + " attempts)");
        }
        Duration wait = next.after();
        return settle(
                push.id(),
                "update store_push set status = 'PENDING', lease_until = null, last_error = :error,"
                        + " next_attempt_at = now() + make_interval(secs => :wait), updated_at = now() where id = :id",
                q -> q.setParameter("error", SqlValues.fit(error, 1000))
                        .setParameter("wait", wait.toMillis() / 1000.0));
    }

    public Uni<Void> failed(long id, String error) {
        return settle(
                id,
                "update store_push set status = 'FAILED', lease_until = null, last_error = :error, updated_at = now()"
                        + " where id = :id",
                q -> q.setParameter("error", SqlValues.fit(error, 1000)));
    }

    /**
     * Whether the store may now be told the order is complete: every line has shipped in full and every
     * other shipment's tracking note is in, so the customer reads all tracking before "completed". Each push
     * records its note (step COMPLETE) before asking, so of two finishing together at least one sees both.
     */
    public Uni<Boolean> readyToComplete(UUID orderId, long pushId) {
        return sessions.withSession(s -> s.createNativeQuery(
                        "select (select count(*) from inbound_order_line where order_id = :orderId"
                                + " and shipped_quantity < quantity) + (select count(*) from store_push where order_id = :orderId"
                                + " and kind = :kind and id <> :id and step = 'NOTE')",
                        Long.class)
                .setParameter("orderId", orderId)
                .setParameter("kind", TRACKING)
                .setParameter("id", pushId)
                .getSingleResult()
                .map(n -> n == 0));
    }

    private Uni<Void> update(long id, String sql, java.util.function.UnaryOperator<Mutiny.Query<Object>> bind) {
        return sessions.withTransaction(
                        s -> bind.apply(s.<Object>createNativeQuery(sql).setParameter("id", id))
                                .executeUpdate())
                .replaceWithVoid();
    }

    /** As {@link #update}, and the store's answer goes into the order's timeline (OrderActivity). */
    private Uni<Void> settle(
            long id, String sql, java.util.function.UnaryOperator<Mutiny.SelectionQuery<Object[]>> bind) {
        return sessions.withTransaction(s -> bind.apply(s.createNativeQuery(
                                sql + " returning order_id, kind, status, attempts,"
                                        + " last_error, store_reference, (select platform from store_connection c where c.id = store_id)",
                                Object[].class)
                        .setParameter("id", id))
                .getResultList()
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().voidItem() : answered(s, rows.get(0))));
    }

    private Uni<Void> answered(Mutiny.Session s, Object[] r) {
        String kind = (String) r[1];
        String status = (String) r[2];
        int attempts = ((Number) r[3]).intValue();
        String said = (String) r[4];
        String what = (kind.equals(CANCEL) ? "Cancellation" : "Tracking") + " to the "
                + String.valueOf(r[6]).toLowerCase() + " store";
        String summary = switch (status) {
            case "DONE" ->
                what + ": done" + (said == null ? "" : ", " + said) + (r[5] == null ? "" : " (" + r[5] + ")");
            case "FAILED" -> what + " failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + said;
            default -> what + ", attempt " + attempts + ": " + said + "; trying again";
        };
        java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("pushKind", kind);
        detail.put("status", status);
        detail.put("attempts", attempts);
        detail.put("storeAnswer", said);
        detail.put("storeReference", r[5]);
        return io.dropship.platform.outbox.OrderActivity.publish(
                outbox, s, (UUID) r[0], "integration-gateway", "STORE_PUSH", summary, detail);
    }

    public record PushView(
            long id,
            String kind,
            UUID orderId,
            UUID shipmentId,
            String status,
            String step,
            int attempts,
            Instant nextAttemptAt,
            String lastError,
            String storeReference,
            Instant createdAt,
            Instant doneAt) {}

    private static final String COLUMNS =
            "id, kind, order_id, shipment_id, status, step, attempts, next_attempt_at, last_error,"
                    + " store_reference, created_at, done_at";

    /**
     * Calls to the store newest first (by id, which grows as calls are made), before {@code before}; 404 if the store is
     * not the retailer's ({@code retailerScope}, null for staff).
     */
    public Uni<List<PushView>> list(String storeId, String retailerScope, String status, Long before, int limit) {
        return sessions.withSession(s -> owned(s, storeId, retailerScope)
                        .chain(() -> s.createNativeQuery(
                                        "select " + COLUMNS
                                                + " from store_push where store_id = :store and (cast(:status as text) is null or status = :status)"
                                                + " and (cast(:before as bigint) is null or id < cast(:before as bigint))"
                                                + " order by id desc limit :limit",
                                        Object[].class)
                                .setParameter("store", storeId)
                                .setParameter("status", status)
                                .setParameter("before", before)
                                .setParameter("limit", limit)
                                .getResultList()))
                .map(rows -> rows.stream().map(StorePushes::view).toList());
    }

    /** Tries a FAILED call again now; 404 as {@link #list}, 409 unless FAILED. */
    public Uni<PushView> retryNow(String storeId, String retailerScope, long pushId) {
        return sessions.withTransaction(s -> owned(s, storeId, retailerScope)
                        .chain(() -> s.createNativeQuery(
                                        "update store_push"
                                                + " set status = 'PENDING', attempts = 0, next_attempt_at = now(), updated_at = now()"
                                                + " where id = :id and store_id = :store and status = 'FAILED' returning "
                                                + COLUMNS,
                                        Object[].class)
                                .setParameter("id", pushId)
                                .setParameter("store", storeId)
                                .getResultList()))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.conflict("push " + pushId + " of store " + storeId + " is not FAILED");
                    }
                    return view(rows.get(0));
                })
                .invoke(() -> due.run());
    }

    private static Uni<Void> owned(Mutiny.Session s, String storeId, String retailerScope) {
        return s.find(StoreConnection.class, storeId)
                .invoke(store -> {
                    if (store == null || (retailerScope != null && !store.retailerId.equals(retailerScope))) {
                        throw ProblemException.notFound("store " + storeId);
                    }
                })
                .replaceWithVoid();
    }

    private static PushView view(Object[] r) {
        return new PushView(
                ((Number) r[0]).longValue(),
                (String) r[1],
                (UUID) r[2],
                (UUID) r[3],
                (String) r[4],
                (String) r[5],
                ((Number) r[6]).intValue(),
                SqlValues.instant(r[7]),
                (String) r[8],
                (String) r[9],
                SqlValues.instant(r[10]),
                SqlValues.instant(r[11]));
    }
}
