package io.dropship.inventory.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.inventory.domain.StockLevel;
import io.dropship.inventory.messaging.events.ReservationEvents;
import io.dropship.inventory.messaging.events.StockChanged;
import io.dropship.inventory.messaging.events.SupplierOrderRouted;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.platform.outbox.TransactionLock;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Reserves a supplier order's stock, all lines or none, in the caller's transaction. Each line is a
 * conditional update ({@code reserved + q} only where {@code on_hand - reserved >= q}), never a read
 * then a write, so two orders racing for the last unit cannot both get it. Lines are taken in SKU order
 * so that concurrent reservations lock rows in the same order and never deadlock. When a line falls
 * short, the lines already taken are given back in the same transaction and the order is refused.
 */
@ApplicationScoped
public class Reservations {

    private record Taken(SupplierOrderRouted.Line line, StockLevel after) {}

    private final Outbox outbox;
    private final StockPolicies policies;

    public Reservations(Outbox outbox, StockPolicies policies) {
        this.outbox = outbox;
        this.policies = policies;
    }

    public Uni<Void> reserve(Mutiny.Session s, SupplierOrderRouted.Raw raw) {
        SupplierOrderRouted order = raw.order();
        if (order.supplierOrderId() == null
                || order.supplierId() == null
                || order.lines() == null
                || order.lines().isEmpty()) {
            throw new PoisonMessageException("SupplierOrderRouted lacks a supplier order id, supplier or lines");
        }
        List<SupplierOrderRouted.Line> lines = order.lines().stream()
                .sorted(Comparator.comparing(SupplierOrderRouted.Line::sku))
                .toList();
        List<Taken> taken = new ArrayList<>();
        List<ReservationEvents.ShortLine> shortLines = new ArrayList<>();
        // A release racing this reservation (a cancellation read by another consumer) must either see it or be seen.
        return TransactionLock.take(s, "supplier-order:" + order.supplierOrderId())
                .chain(() -> s.createNativeQuery(
                                "select count(*) from released_supplier_order where supplier_order_id = :supplierOrderId",
                                Long.class)
                        .setParameter("supplierOrderId", order.supplierOrderId())
                        .getSingleResult())
                .chain(released -> released > 0
                        ? Uni.createFrom().voidItem()
                        : Multi.createFrom()
                                .iterable(lines)
                                .onItem()
                                .transformToUniAndConcatenate(line -> take(s, order.supplierId(), line)
                                        .chain(after -> {
                                            if (after != null) {
                                                taken.add(new Taken(line, after));
                                                return Uni.createFrom().voidItem();
                                            }
                                            return available(s, order.supplierId(), line.sku())
                                                    .invoke(avail -> shortLines.add(new ReservationEvents.ShortLine(
                                                            line.lineId(), line.sku(), line.quantity(), avail)))
                                                    .replaceWithVoid();
                                        }))
                                .collect()
                                .last()
                                .chain(() -> shortLines.isEmpty()
                                        ? confirm(s, raw, taken)
                                        : refuse(s, order, taken, shortLines)));
    }

    /**
     * Gives a supplier order's reserved stock back (it was cancelled, or its supplier rejected it), and
     * remembers that it did, so a reservation that arrives later is never made. Releasing twice changes nothing.
     */
    public Uni<Void> release(Mutiny.Session s, java.util.UUID supplierOrderId, String why) {
        if (supplierOrderId == null) {
            throw new PoisonMessageException("no supplier order to release");
        }
        return TransactionLock.take(s, "supplier-order:" + supplierOrderId)
                .chain(() -> s.createNativeQuery(
                                "insert into released_supplier_order (supplier_order_id, reason, released_at)"
                                        + " values (:supplierOrderId, :why, now()) on conflict do nothing")
                        .setParameter("supplierOrderId", supplierOrderId)
                        .setParameter("why", why)
                        .executeUpdate())
                .chain(() -> s.createNativeQuery(
                                "update reservation set status = 'RELEASED', updated_at = now()"
                                        + " where supplier_order_id = :supplierOrderId and status = 'RESERVED' returning supplier_id, sku, quantity",
                                Object[].class)
                        .setParameter("supplierOrderId", supplierOrderId)
                        .getResultList())
                .chain(rows -> adjust(s, rows, "reserved = greatest(reserved - :q, 0)", "RELEASED", supplierOrderId));
    }

    /**
     * Turns a supplier order's reservations into a shipment: the units leave both on hand and reserved, so
     * what is available does not change. A supplier order with nothing reserved here changes nothing.
     */
    public Uni<Void> ship(Mutiny.Session s, java.util.UUID supplierOrderId) {
        if (supplierOrderId == null) {
            throw new PoisonMessageException("Shipped names no supplier order");
        }
        return s.createNativeQuery(
                        "update reservation set status = 'SHIPPED', updated_at = now()"
                                + " where supplier_order_id = :supplierOrderId and status = 'RESERVED' returning supplier_id, sku, quantity",
                        Object[].class)
                .setParameter("supplierOrderId", supplierOrderId)
                .getResultList()
                .chain(rows -> adjust(
                        s,
                        rows,
                        "on_hand = greatest(on_hand - :q, 0), reserved = greatest(reserved - :q, 0)",
                        "SHIPPED",
                        supplierOrderId))
                // Shipped after its reservation was released (the supplier shipped a cancelled order anyway):
                // the units left the shelf, but they were no longer held.
                .chain(() -> s.createNativeQuery(
                                "update reservation set status = 'SHIPPED', updated_at = now()"
                                        + " where supplier_order_id = :supplierOrderId and status = 'RELEASED' returning supplier_id, sku, quantity",
                                Object[].class)
                        .setParameter("supplierOrderId", supplierOrderId)
                        .getResultList())
                .chain(rows -> adjust(s, rows, "on_hand = greatest(on_hand - :q, 0)", "SHIPPED", supplierOrderId));
    }

    /** Applies a change to each (supplier, SKU, quantity) row's stock and publishes the new level. */
    /**
     * Returned units the supplier can sell again (a line return it received, settlement's ReturnUpdated, applied once
     * by the inbox) go back on hand.
     */
    public Uni<Void> returned(
            Mutiny.Session s, java.util.UUID supplierOrderId, String supplierId, List<Object[]> skuAndQuantity) {
        return adjust(
                s,
                skuAndQuantity.stream()
                        .map(l -> new Object[] {supplierId, l[0], l[1]})
                        .toList(),
                "on_hand = on_hand + :q",
                "RETURNED",
                supplierOrderId);
    }

    private Uni<Void> adjust(
            Mutiny.Session s, List<Object[]> rows, String set, String reason, java.util.UUID supplierOrderId) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // The rows are one supplier order's lines, so one supplier and one policy.
        return policies.of(s, (String) rows.get(0)[0])
                .chain(policy -> Multi.createFrom()
                        .iterable(rows)
                        .onItem()
                        .transformToUniAndConcatenate(r -> s.createNativeQuery(
                                        "update stock_item set " + set + ", updated_at = now()"
                                                + " where supplier_id = :s and sku = :sku returning on_hand, reserved",
                                        Object[].class)
                                .setParameter("q", r[2])
                                .setParameter("s", r[0])
                                .setParameter("sku", r[1])
                                .getResultList()
                                .chain(after -> after.isEmpty()
                                        ? Uni.createFrom().voidItem()
                                        : outbox.publish(
                                                        s,
                                                        StockChanged.TOPIC,
                                                        r[0] + ":" + r[1],
                                                        StockChanged.of(
                                                                new StockLevel(
                                                                        (String) r[0],
                                                                        (String) r[1],
                                                                        ((Number) after.get(0)[0]).intValue(),
                                                                        ((Number) after.get(0)[1]).intValue()),
                                                                policy,
                                                                reason,
                                                                supplierOrderId.toString(),
                                                                null))
                                                .replaceWithVoid()))
                        .collect()
                        .last()
                        .replaceWithVoid());
    }

    private static Uni<StockLevel> take(Mutiny.Session s, String supplierId, SupplierOrderRouted.Line line) {
        return s.createNativeQuery(
                        "update stock_item set reserved = reserved + :q, updated_at = now()"
                                + " where supplier_id = :supplierId and sku = :sku and on_hand - reserved >= :q"
                                + " returning on_hand, reserved",
                        Object[].class)
                .setParameter("q", line.quantity())
                .setParameter("supplierId", supplierId)
                .setParameter("sku", line.sku())
                .getResultList()
                .map(rows -> rows.isEmpty()
                        ? null
                        : new StockLevel(
                                supplierId,
                                line.sku(),
                                ((Number) rows.get(0)[0]).intValue(),
                                ((Number) rows.get(0)[1]).intValue()));
    }

    private static Uni<Integer> available(Mutiny.Session s, String supplierId, String sku) {
        return s.createNativeQuery(
                        "select greatest(on_hand - reserved, 0) from stock_item where supplier_id = :supplierId and sku = :sku",
                        Integer.class)
                .setParameter("supplierId", supplierId)
                .setParameter("sku", sku)
                .getResultList()
                .map(rows -> rows.isEmpty() ? 0 : rows.get(0));
    }

    private Uni<Void> confirm(Mutiny.Session s, SupplierOrderRouted.Raw raw, List<Taken> taken) {
        SupplierOrderRouted order = raw.order();
        Instant now = Instant.now();
        ObjectNode reserved = raw.payload().deepCopy();
        reserved.remove("routedAt");
        reserved.put("reservedAt", now.toString());
        return policies.of(s, order.supplierId())
                .chain(policy -> Multi.createFrom()
                        .iterable(taken)
                        .onItem()
                        .transformToUniAndConcatenate(t -> s.createNativeQuery(
                                        "insert into reservation (supplier_order_id,"
                                                + " supplier_id, sku, line_id, quantity, status, created_at, updated_at)"
                                                + " values (:supplierOrderId, :supplierId, :sku, :line, :q, 'RESERVED', :now, :now)")
                                .setParameter("supplierOrderId", order.supplierOrderId())
                                .setParameter("supplierId", order.supplierId())
                                .setParameter("sku", t.line().sku())
                                .setParameter("line", t.line().lineId())
                                .setParameter("q", t.line().quantity())
                                .setParameter("now", now)
                                .executeUpdate()
                                .chain(() -> outbox.publish(
                                        s,
                                        StockChanged.TOPIC,
                                        t.after().supplierProductId(),
                                        StockChanged.of(
                                                t.after(),
                                                policy,
                                                "RESERVED",
                                                order.supplierOrderId().toString(),
                                                null))))
                        .collect()
                        .last())
                .chain(() -> outbox.publish(
                        s, ReservationEvents.RESERVED_TOPIC, order.orderId().toString(), reserved))
                .replaceWithVoid();
    }

    private Uni<Void> refuse(
            Mutiny.Session s,
            SupplierOrderRouted order,
            List<Taken> taken,
            List<ReservationEvents.ShortLine> shortLines) {
        return Multi.createFrom()
                .iterable(taken)
                .onItem()
                .transformToUniAndConcatenate(t -> s.createNativeQuery(
                                "update stock_item set reserved = reserved - :q where supplier_id = :supplierId and sku = :sku")
                        .setParameter("q", t.line().quantity())
                        .setParameter("supplierId", order.supplierId())
                        .setParameter("sku", t.line().sku())
                        .executeUpdate())
                .collect()
                .last()
                .chain(() -> outbox.publish(
                        s,
                        ReservationEvents.REFUSED_TOPIC,
                        order.orderId().toString(),
                        new ReservationEvents.ReservationRefused(
                                order.supplierOrderId(),
                                order.orderId(),
                                order.supplierId(),
                                shortLines,
                                order.attempt(),
                                order.routedTogether(),
                                Instant.now())))
                .replaceWithVoid();
    }
}
