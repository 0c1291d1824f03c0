package io.dropship.order.service;

import io.dropship.order.domain.OrderStatus;
import io.dropship.order.entity.CustomerOrder;
import io.dropship.order.entity.OrderLine;
import io.dropship.order.entity.SupplierOrder;
import io.dropship.order.messaging.events.CancellationEvents;
import io.dropship.order.messaging.events.ReservationEvents;
import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.platform.sql.SqlValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * What order-service does when inventory answers a supplier order: a reservation marks it RESERVED; a
 * refusal marks it REFUSED, keeps that supplier away from the lines it was short of, and re-routes the
 * supplier order's lines (to the next candidate, or the order goes ON_HOLD). A supplier's rejection
 * re-routes the same way, keeping that supplier away from all the lines.
 */
@ApplicationScoped
public class ReservationOutcomes {

    private final OrderRouter router;
    private final Timer webhookToReserved;

    private final Cases cases;

    public ReservationOutcomes(OrderRouter router, MeterRegistry meters, Cases cases) {
        this.router = router;
        this.cases = cases;
        // The order pipeline's latency: from the store's webhook at the gateway to a supplier order's stock held.
        this.webhookToReserved = Timer.builder("dropship.orders.webhook.to.reserved")
                .description("From the store's webhook to a supplier order's stock reserved")
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(50))
                .maximumExpectedValue(java.time.Duration.ofMinutes(10))
                .register(meters);
    }

    public Uni<Void> reserved(Mutiny.Session s, ReservationEvents.StockReserved event) {
        if (event.supplierOrderId() == null) {
            throw new PoisonMessageException("StockReserved names no supplier order");
        }
        Instant now = Instant.now();
        // One statement: a ROUTED supplier order becomes RESERVED (anything else is left as it is), and its order's
        // arrival at the gateway comes back for the pipeline's latency.
        return OrderLock.ofSupplierOrder(s, event.supplierOrderId())
                .chain(() -> s.createNativeQuery(
                                "update supplier_order so set status = 'RESERVED', updated_at = :now"
                                        + " where so.id = :id and so.status = 'ROUTED'"
                                        + " returning (select o.received_at from customer_order o where o.id = so.order_id)",
                                Object.class)
                        .setParameter("now", now)
                        .setParameter("id", event.supplierOrderId())
                        .getResultList())
                .invoke(rows -> rows.stream()
                        .filter(java.util.Objects::nonNull)
                        .forEach(receivedAt -> webhookToReserved.record(
                                java.time.Duration.between(SqlValues.instant(receivedAt), now))))
                .replaceWithVoid();
    }

    public Uni<Void> refused(Mutiny.Session s, ReservationEvents.ReservationRefused event) {
        if (event.supplierOrderId() == null || event.shortLines() == null) {
            throw new PoisonMessageException("ReservationRefused names no supplier order or short lines");
        }
        return reroute(
                s,
                event.supplierOrderId(),
                Set.of(SupplierOrder.Status.ROUTED),
                SupplierOrder.Status.REFUSED,
                event.shortLines().stream()
                        .map(ReservationEvents.ReservationRefused.ShortLine::lineId)
                        .collect(Collectors.toSet()));
    }

    /**
     * A supplier rejected its supplier order: it is REJECTED, the supplier is kept away from all its lines,
     * and they are routed again (the stock it held is released by inventory-service).
     */
    public Uni<Void> rejected(Mutiny.Session s, CancellationEvents.SupplierOrderRejected event) {
        if (event.supplierOrderId() == null) {
            throw new PoisonMessageException("SupplierOrderRejected names no supplier order");
        }
        return reroute(
                s,
                event.supplierOrderId(),
                Set.of(SupplierOrder.Status.ROUTED, SupplierOrder.Status.RESERVED),
                SupplierOrder.Status.REJECTED,
                null);
    }

    /** Ends a supplier order in {@code outcome}, excludes its supplier from {@code excludedLines} (null: all) and re-routes. */
    private Uni<Void> reroute(
            Mutiny.Session s,
            java.util.UUID supplierOrderId,
            Set<SupplierOrder.Status> from,
            SupplierOrder.Status outcome,
            Set<String> excludedLines) {
        return OrderLock.ofSupplierOrder(s, supplierOrderId)
                .chain(() -> s.createSelectionQuery(
                                "from SupplierOrder so left join fetch so.lines where so.id = :id", SupplierOrder.class)
                        .setParameter("id", supplierOrderId)
                        .getSingleResultOrNull())
                .chain(so -> {
                    if (so == null || !from.contains(so.status)) {
                        return Uni.createFrom().voidItem();
                    }
                    so.status = outcome;
                    so.updatedAt = Instant.now();
                    if (so.reshipOf != null) {
                        // A free reship is not routed elsewhere at the retailer's cost: its case opens again.
                        return cases.reshipFailed(
                                s,
                                so,
                                outcome == SupplierOrder.Status.REFUSED
                                        ? "the supplier has too little stock"
                                        : "the supplier rejected it");
                    }
                    Set<String> lineIds =
                            so.lines.stream().map(l -> l.key.lineId()).collect(Collectors.toSet());
                    Set<String> shortIds = excludedLines == null ? lineIds : excludedLines;
                    return Multi.createFrom()
                            .iterable(shortIds)
                            .onItem()
                            .transformToUniAndConcatenate(lineId -> s.createNativeQuery(
                                            "insert into routing_exclusion (order_id, line_id, supplier_id, reason)"
                                                    + " values (:orderId, :l, :supplierId, :why) on conflict do nothing")
                                    .setParameter("orderId", so.orderId)
                                    .setParameter("l", lineId)
                                    .setParameter("supplierId", so.supplierId)
                                    .setParameter("why", outcome == SupplierOrder.Status.REFUSED ? "SHORT" : "REJECTED")
                                    .executeUpdate())
                            .collect()
                            .last()
                            .chain(() -> s.createSelectionQuery(
                                            "from CustomerOrder o left join fetch o.lines where o.id = :id",
                                            CustomerOrder.class)
                                    .setParameter("id", so.orderId)
                                    .getSingleResult())
                            .chain(order -> {
                                if (order.status == OrderStatus.CANCELLED) {
                                    return Uni.createFrom().voidItem();
                                }
                                List<OrderLine> again = order.lines.stream()
                                        .filter(l -> lineIds.contains(l.lineId))
                                        .toList();
                                return router.route(s, order, again, so.attempt + 1);
                            });
                });
    }
}
