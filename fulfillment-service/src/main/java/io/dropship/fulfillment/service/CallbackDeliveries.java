package io.dropship.fulfillment.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.fulfillment.entity.SupplierCallback;
import io.dropship.fulfillment.entity.SupplierOrder;
import io.dropship.platform.work.Backoff;
import io.dropship.platform.work.WorkQueue;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * What suppliers with a callback endpoint are owed: each supplier order they receive, and each one
 * cancelled, recorded in the transaction of that change; the {@link CallbackDispatcher} POSTs them signed.
 */
@ApplicationScoped
public class CallbackDeliveries {

    public static final String RECEIVED = "supplier_order.received";
    public static final String CANCELLED = "supplier_order.cancelled";
    public static final String CANCEL_REQUESTED = "supplier_order.cancel_requested";

    /** A claimed delivery with what is needed to send it. */
    public record Claimed(
            long id, String supplierId, String event, String payload, int attempts, String url, String secret) {}

    private final Mutiny.SessionFactory sessions;
    private final io.dropship.platform.outbox.Outbox outbox;
    private final io.dropship.platform.web.SealedSecrets secrets;
    private final ObjectMapper mapper;
    /** Deliveries to make, claimed with a lease of two minutes. */
    private final WorkQueue queue;

    public CallbackDeliveries(
            Mutiny.SessionFactory sessions,
            io.dropship.platform.outbox.Outbox outbox,
            ObjectMapper mapper,
            io.dropship.platform.web.SealedSecrets secrets,
            @ConfigProperty(name = "dropship.callback.backoff-initial", defaultValue = "PT5S") Duration backoffInitial,
            @ConfigProperty(name = "dropship.callback.backoff-max", defaultValue = "PT1H") Duration backoffMax,
            @ConfigProperty(name = "dropship.callback.max-attempts", defaultValue = "15") int maxAttempts) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.mapper = mapper;
        this.secrets = secrets;
        this.queue = WorkQueue.of(
                "callback_delivery", "id", Duration.ofMinutes(2), new Backoff(backoffInitial, backoffMax), maxAttempts);
    }

    /**
     * Records the event for the supplier's endpoint, if it has an enabled one (once per supplier order and event), and
     * announces it (SupplierOrderUpdated, saying whether a callback carries it: integration-gateway e-mails suppliers
     * who have none).
     */
    public Uni<Void> record(Mutiny.Session s, SupplierOrder so, String event) {
        return s.find(SupplierCallback.class, so.supplierId).chain(cb -> {
            boolean byCallback = cb != null && cb.enabled;
            Uni<Void> announced = outbox.publish(
                            s,
                            SupplierOrderUpdated.TOPIC,
                            so.orderId.toString(),
                            new SupplierOrderUpdated(
                                    so.id,
                                    so.orderId,
                                    so.orderNumber,
                                    so.supplierId,
                                    so.retailerId,
                                    event,
                                    so.status.name(),
                                    so.reason,
                                    byCallback,
                                    java.time.Instant.now()))
                    .replaceWithVoid();
            if (!byCallback) {
                return announced;
            }
            return s.createNativeQuery(
                            "insert into callback_delivery (supplier_id, supplier_order_id, event, payload, status,"
                                    + " next_attempt_at, created_at) values (:supplier, :supplierOrderId, :event, cast(cast(:payload as text) as jsonb),"
                                    + " 'PENDING', now(), now()) on conflict (supplier_order_id, event) do nothing")
                    .setParameter("supplier", so.supplierId)
                    .setParameter("supplierOrderId", so.id)
                    .setParameter("event", event)
                    .setParameter("payload", payload(so, event))
                    .executeUpdate()
                    .chain(() -> announced);
        });
    }

    /** SupplierOrderUpdated (contracts/events): what the supplier was just told of its order, and how. */
    public record SupplierOrderUpdated(
            java.util.UUID supplierOrderId,
            java.util.UUID orderId,
            String orderNumber,
            String supplierId,
            String retailerId,
            String event,
            String status,
            String reason,
            boolean byCallback,
            java.time.Instant occurredAt) {
        public static final String TOPIC = "SupplierOrderUpdated";
    }

    private String payload(SupplierOrder so, String event) {
        try {
            ObjectNode body = mapper.createObjectNode().put("event", event);
            ObjectNode order = body.putObject("supplierOrder")
                    .put("supplierOrderId", so.id.toString())
                    .put("orderId", so.orderId.toString())
                    .put("orderNumber", so.orderNumber)
                    .put("status", so.status.name())
                    .put("reason", so.reason)
                    .put("currency", so.currency)
                    .put("receivedAt", String.valueOf(so.receivedAt));
            order.set("lines", mapper.readTree(so.lines));
            order.set("shippingAddress", mapper.readTree(so.shippingAddress));
            return mapper.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("supplier order " + so.id + " cannot be written as a callback", e);
        }
    }

    /** Due deliveries, leased to this caller; another instance skips them until the lease runs out. */
    public Uni<List<Claimed>> claim(int batch) {
        // An IN_FLIGHT delivery whose lease ran out (its instance died) is due again.
        String endpoint = "(select %s from supplier_callback c where c.supplier_id = callback_delivery.supplier_id)";
        return sessions.withTransaction(s -> s.createNativeQuery(
                        queue.claimSql(
                                "status in ('PENDING', 'IN_FLIGHT')" + " and next_attempt_at <= now() and exists "
                                        + endpoint.formatted("1"),
                                "status = 'IN_FLIGHT'",
                                "next_attempt_at",
                                ":n",
                                "id, supplier_id, event, cast(payload as text), attempts, "
                                        + endpoint.formatted("url") + ", " + endpoint.formatted("signing_secret") + ", "
                                        + endpoint.formatted("enabled") + ", "
                                        + endpoint.formatted("signing_secret_sealed")),
                        Object[].class)
                .setParameter("n", batch)
                .getResultList()
                .map(rows -> rows.stream()
                        .map(r -> new Claimed(
                                ((Number) r[0]).longValue(),
                                (String) r[1],
                                (String) r[2],
                                (String) r[3],
                                ((Number) r[4]).intValue(),
                                Boolean.TRUE.equals(r[7]) ? (String) r[5] : null,
                                r[8] != null ? secrets.box().open((byte[]) r[8]) : (String) r[6]))
                        .toList()));
    }

    public Uni<Void> delivered(long id, int status) {
        return settle(id, "DELIVERED", status, null, Duration.ZERO);
    }

    /** Retries with exponential backoff; FAILED once the attempts are used up. */
    public Uni<Void> retry(Claimed d, Integer status, String error) {
        WorkQueue.Retry next = queue.afterFailure(d.attempts(), null);
        return next.giveUp()
                ? settle(d.id(), "FAILED", status, error, Duration.ZERO)
                : settle(d.id(), "PENDING", status, error, next.after());
    }

    private Uni<Void> settle(long id, String state, Integer status, String error, Duration wait) {
        return io.dropship.platform.outbox.Retrying.whileTransient(
                "callback delivery " + id + "'s outcome",
                () -> sessions.withTransaction(s -> s.createNativeQuery(
                                        "update callback_delivery set status = :state,"
                                                + " lease_until = null, last_status = :status, last_error = :error,"
                                                + " next_attempt_at = now() + make_interval(secs => :wait),"
                                                + " delivered_at = case when :state = 'DELIVERED' then now() end where id = :id")
                                .setParameter("id", id)
                                .setParameter("state", state)
                                .setParameter("status", status)
                                .setParameter(
                                        "error",
                                        error == null || error.length() <= 1000 ? error : error.substring(0, 1000))
                                .setParameter("wait", wait.toMillis() / 1000.0)
                                .executeUpdate()
                                .chain(() -> answered(s, id, state, status, error)))
                        .replaceWithVoid());
    }

    /** The endpoint's answer goes into the order's timeline (OrderActivity). */
    private Uni<Void> answered(Mutiny.Session s, long id, String state, Integer status, String error) {
        return s.createNativeQuery(
                        "select so.order_id, d.event, d.attempts, d.supplier_id from callback_delivery d"
                                + " join supplier_order so on so.id = d.supplier_order_id where d.id = :id",
                        Object[].class)
                .setParameter("id", id)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Object[] r = rows.get(0);
                    int attempts = ((Number) r[2]).intValue();
                    String answer = status == null
                            ? String.valueOf(error)
                            : "HTTP " + status + (error == null ? "" : ", " + error);
                    String summary = "Callback " + r[1] + " to " + r[3] + ", attempt " + attempts + ": "
                            + switch (state) {
                                case "DELIVERED" -> "taken (" + answer + ")";
                                case "FAILED" -> "gave up (" + answer + ")";
                                default -> answer + "; trying again";
                            };
                    java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
                    detail.put("event", r[1]);
                    detail.put("attempt", attempts);
                    detail.put("state", state);
                    detail.put("httpStatus", status);
                    detail.put("error", error == null || error.length() <= 300 ? error : error.substring(0, 300));
                    return io.dropship.platform.outbox.OrderActivity.publish(
                            outbox,
                            s,
                            (java.util.UUID) r[0],
                            "fulfillment-service",
                            "SUPPLIER_CALLBACK",
                            summary,
                            detail);
                });
    }

    /** The supplier's recent deliveries, newest first (by id, which grows as they are made), before {@code before}. */
    public Uni<List<Object[]>> recent(String supplierId, String status, Long before, int limit) {
        return sessions.withSession(s -> s.createNativeQuery(
                        "select id, supplier_order_id, event, status, attempts, next_attempt_at,"
                                + " last_status, last_error, created_at, delivered_at from callback_delivery where supplier_id = :supplierId"
                                + " and (cast(:status as text) is null or status = :status)"
                                + " and (cast(:before as bigint) is null or id < cast(:before as bigint)) order by id desc limit :limit",
                        Object[].class)
                .setParameter("supplierId", supplierId)
                .setParameter("status", status)
                .setParameter("before", before)
                .setParameter("limit", limit)
                .getResultList());
    }
}
