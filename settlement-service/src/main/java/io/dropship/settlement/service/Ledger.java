package io.dropship.settlement.service;

import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.settlement.domain.FeeSchedule;
import io.dropship.settlement.messaging.SettlementEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Settles each shipped supplier order once: an invoice line for the retailer (wholesale + shipping +
 * platform fee of its plan) and balanced ledger entries (the retailer owes the charge; the supplier is
 * owed wholesale + shipping; the platform earns the fee), then Settled, all in one transaction.
 * StockReserved brings the amounts and Shipped the shipment; they may arrive in either order.
 */
@ApplicationScoped
public class Ledger {

    private final Outbox outbox;

    public Ledger(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> amounts(Mutiny.Session s, SettlementEvents.StockReserved r) {
        if (r.supplierOrderId() == null || r.orderId() == null || r.retailerId() == null || r.supplierId() == null
                || r.wholesaleTotal() == null || r.shippingCost() == null || r.currency() == null) {
            throw new PoisonMessageException("StockReserved lacks what settlement needs");
        }
        return s.createNativeQuery("insert into supplier_order_account (supplier_order_id, order_id, order_number, retailer_id,"
                        + " supplier_id, currency, wholesale_total, shipping_cost, updated_at)"
                        + " values (:so, :o, :n, :r, :s, :cur, :w, :ship, now())"
                        + " on conflict (supplier_order_id) do update set order_number = excluded.order_number,"
                        + " currency = excluded.currency, wholesale_total = excluded.wholesale_total,"
                        + " shipping_cost = excluded.shipping_cost, updated_at = now()")
                .setParameter("so", r.supplierOrderId()).setParameter("o", r.orderId()).setParameter("n", r.orderNumber())
                .setParameter("r", r.retailerId()).setParameter("s", r.supplierId()).setParameter("cur", r.currency())
                .setParameter("w", r.wholesaleTotal()).setParameter("ship", r.shippingCost())
                .executeUpdate().chain(() -> settleIfComplete(s, r.supplierOrderId()));
    }

    public Uni<Void> shipped(Mutiny.Session s, SettlementEvents.Shipped e) {
        if (e.supplierOrderId() == null || e.orderId() == null || e.shipmentId() == null) {
            throw new PoisonMessageException("Shipped lacks what settlement needs");
        }
        return s.createNativeQuery("insert into supplier_order_account (supplier_order_id, order_id, retailer_id, supplier_id,"
                        + " shipment_id, shipped_at, updated_at) values (:so, :o, :r, :s, :sh, :at, now())"
                        + " on conflict (supplier_order_id) do update set shipment_id = excluded.shipment_id,"
                        + " shipped_at = excluded.shipped_at, updated_at = now()")
                .setParameter("so", e.supplierOrderId()).setParameter("o", e.orderId())
                .setParameter("r", e.retailerId() == null ? "" : e.retailerId())
                .setParameter("s", e.supplierId() == null ? "" : e.supplierId())
                .setParameter("sh", e.shipmentId()).setParameter("at", e.shippedAt() == null ? Instant.now() : e.shippedAt())
                .executeUpdate().chain(() -> settleIfComplete(s, e.supplierOrderId()));
    }

    private Uni<Void> settleIfComplete(Mutiny.Session s, UUID supplierOrderId) {
        return s.createNativeQuery("select a.order_id, a.order_number, a.retailer_id, a.supplier_id, a.currency,"
                        + " a.wholesale_total, a.shipping_cost, coalesce(p.plan, 'BASIC'), f.fixed_fee, f.percent"
                        + " from supplier_order_account a"
                        + " left join retailer_plan p on p.retailer_id = a.retailer_id"
                        + " join fee_rule f on f.plan = coalesce(p.plan, 'BASIC')"
                        + " where a.supplier_order_id = :so and a.status = 'OPEN'"
                        + " and a.wholesale_total is not null and a.shipped_at is not null for update of a", Object[].class)
                .setParameter("so", supplierOrderId).getResultList()
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().voidItem() : settle(s, supplierOrderId, rows.get(0)));
    }

    private Uni<Void> settle(Mutiny.Session s, UUID supplierOrderId, Object[] row) {
        UUID orderId = (UUID) row[0];
        String orderNumber = (String) row[1];
        String retailer = (String) row[2];
        String supplier = (String) row[3];
        String currency = (String) row[4];
        BigDecimal wholesale = (BigDecimal) row[5];
        BigDecimal shipping = (BigDecimal) row[6];
        String plan = (String) row[7];
        FeeSchedule.Split split = new FeeSchedule((BigDecimal) row[8], (BigDecimal) row[9]).split(wholesale, shipping);
        Instant now = Instant.now();
        SettlementEvents.Settled settled = new SettlementEvents.Settled(UUID.randomUUID(), supplierOrderId, orderId, supplier,
                retailer, currency, wholesale, shipping, split.platformFee(), split.retailerCharge(), split.supplierPayout(), now);
        return s.createNativeQuery("insert into invoice_line (supplier_order_id, order_id, order_number, retailer_id, supplier_id,"
                        + " plan, currency, wholesale_total, shipping_cost, platform_fee, retailer_charge, supplier_payout, created_at)"
                        + " values (:so, :o, :n, :r, :s, :plan, :cur, :w, :ship, :fee, :charge, :payout, :now)")
                .setParameter("so", supplierOrderId).setParameter("o", orderId).setParameter("n", orderNumber)
                .setParameter("r", retailer).setParameter("s", supplier).setParameter("plan", plan).setParameter("cur", currency)
                .setParameter("w", wholesale).setParameter("ship", shipping).setParameter("fee", split.platformFee())
                .setParameter("charge", split.retailerCharge()).setParameter("payout", split.supplierPayout())
                .setParameter("now", now).executeUpdate()
                .chain(() -> entries(s, supplierOrderId, currency, now, List.of(
                        new Object[] {"RETAILER_RECEIVABLE", retailer, split.retailerCharge(), BigDecimal.ZERO},
                        new Object[] {"SUPPLIER_PAYABLE", supplier, BigDecimal.ZERO, split.supplierPayout()},
                        new Object[] {"PLATFORM_REVENUE", "platform", BigDecimal.ZERO, split.platformFee()})))
                .chain(() -> s.createNativeQuery("update supplier_order_account set status = 'SETTLED', updated_at = now()"
                        + " where supplier_order_id = :so").setParameter("so", supplierOrderId).executeUpdate())
                .chain(() -> outbox.publish(s, SettlementEvents.Settled.TOPIC, orderId.toString(), settled))
                .replaceWithVoid();
    }

    private static Uni<Void> entries(Mutiny.Session s, UUID supplierOrderId, String currency, Instant now, List<Object[]> entries) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Object[] e : entries) {
            chain = chain.chain(() -> s.createNativeQuery("insert into ledger_entry (supplier_order_id, account, party_id, debit,"
                            + " credit, currency, created_at) values (:so, :account, :party, :debit, :credit, :cur, :now)")
                    .setParameter("so", supplierOrderId).setParameter("account", e[0]).setParameter("party", e[1])
                    .setParameter("debit", e[2]).setParameter("credit", e[3]).setParameter("cur", currency)
                    .setParameter("now", now).executeUpdate().replaceWithVoid());
        }
        return chain;
    }
}
