package io.dropship.settlement.service;

import static io.dropship.platform.sql.SqlValues.instant;

import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Returns of some units of some lines, step by step: REQUESTED by the retailer with a reason; AUTHORISED by the
 * supplier under its policy (within its window; what it gives back is fixed then: the units' wholesale, less its
 * restocking fee, plus their share of the shipping when its policy gives shipping back) with return instructions, or
 * REFUSED with a reason, which support may overrule; RECEIVED when the supplier has the parcel (and says whether the
 * units can be sold again: inventory takes them back); REFUNDED once StripeCalls reversed the supplier's transfer and
 * refunded the retailer that much. Each step is announced (ReturnUpdated).
 */
@ApplicationScoped
public class ReturnRequests {

    public static final String TOPIC = "ReturnUpdated";

    public record Line(String lineId, String sku, int quantity) {}

    public record View(
            UUID returnId,
            UUID supplierOrderId,
            UUID orderId,
            String retailerId,
            String supplierId,
            String status,
            String reason,
            List<Line> lines,
            String instructions,
            String refusal,
            String overruledBy,
            String returnShippingPaidBy,
            BigDecimal restockingFeePercent,
            BigDecimal amount,
            String currency,
            Boolean sellable,
            Instant createdAt,
            Instant updatedAt) {}

    /** ReturnUpdated (contracts/events/ReturnUpdated.schema.json). */
    public record ReturnUpdated(
            UUID returnId,
            UUID orderId,
            UUID supplierOrderId,
            String retailerId,
            String supplierId,
            String status,
            String reason,
            List<Line> lines,
            BigDecimal amount,
            String currency,
            Boolean sellable,
            String note,
            Instant occurredAt) {}

    private final Outbox outbox;

    public ReturnRequests(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The retailer asks to return these units; 409 past the supplier's window, for more units than are left. */
    public Uni<UUID> request(
            Mutiny.Session s,
            String retailerScope,
            String by,
            UUID supplierOrderId,
            Map<String, Integer> units,
            String reason) {
        return s.createNativeQuery(
                        "select order_id, retailer_id, supplier_id, currency, shipped_at from supplier_order_account"
                                + " where supplier_order_id = :supplierOrderId for update",
                        Object[].class)
                .setParameter("supplierOrderId", supplierOrderId)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty() || (retailerScope != null && !retailerScope.equals(rows.get(0)[1]))) {
                        throw ProblemException.notFound("supplier order " + supplierOrderId);
                    }
                    Object[] a = rows.get(0);
                    if (a[4] == null) {
                        throw ProblemException.conflict(
                                "supplier order " + supplierOrderId + " has not shipped; cancel it instead");
                    }
                    String supplier = (String) a[2];
                    return ReturnPolicies.of(s, supplier).chain(p -> {
                        String refusal = p.refusal(supplier, instant(a[4]), Instant.now());
                        if (refusal != null) {
                            throw ProblemException.conflict(refusal);
                        }
                        return left(s, supplierOrderId).chain(left -> {
                            List<Line> lines = new ArrayList<>();
                            for (Map.Entry<String, Integer> u : units.entrySet()) {
                                Object[] l = left.get(u.getKey());
                                if (l == null) {
                                    throw ProblemException.badRequest(
                                            "supplier order " + supplierOrderId + " has no line " + u.getKey());
                                }
                                int free = ((Number) l[1]).intValue();
                                if (u.getValue() > free) {
                                    throw ProblemException.conflict("line " + u.getKey() + " has " + free
                                            + " units left to return, not " + u.getValue());
                                }
                                lines.add(new Line(u.getKey(), (String) l[0], u.getValue()));
                            }
                            UUID id = UUID.randomUUID();
                            Uni<Void> chain = s.createNativeQuery(
                                            "insert into return_request (id, supplier_order_id, order_id,"
                                                    + " retailer_id, supplier_id, currency, reason, status, return_shipping_paid_by,"
                                                    + " restocking_fee_percent, requested_by, created_at, updated_at) values (:id, :supplierOrderId, :o, :r,"
                                                    + " :supplierId, :cur, :why, 'REQUESTED', :ship, :fee, :by, now(), now())")
                                    .setParameter("id", id)
                                    .setParameter("supplierOrderId", supplierOrderId)
                                    .setParameter("o", a[0])
                                    .setParameter("r", a[1])
                                    .setParameter("supplierId", supplier)
                                    .setParameter("cur", ((String) a[3]).strip())
                                    .setParameter("why", reason)
                                    .setParameter("ship", p.returnShippingPaidBy())
                                    .setParameter("fee", p.restockingFeePercent())
                                    .setParameter("by", by)
                                    .executeUpdate()
                                    .replaceWithVoid();
                            for (Line l : lines) {
                                chain = chain.chain(() -> s.createNativeQuery(
                                                "insert into return_request_line (request_id, line_id,"
                                                        + " sku, quantity) values (:id, :l, :sku, :q)")
                                        .setParameter("id", id)
                                        .setParameter("l", l.lineId())
                                        .setParameter("sku", l.sku())
                                        .setParameter("q", l.quantity())
                                        .executeUpdate()
                                        .replaceWithVoid());
                            }
                            return chain.chain(() -> announce(s, id, null)).replaceWith(id);
                        });
                    });
                });
    }

    /** Line returns newest first (at most 200); a null retailer, supplier or status is no filter. */
    public Uni<List<View>> list(Mutiny.Session s, String retailerId, String supplierId, String status) {
        return s.createNativeQuery(
                        "select id from return_request where (cast(:retailerId as text) is null"
                                + " or retailer_id = :retailerId) and (cast(:supplierId as text) is null or supplier_id = :supplierId)"
                                + " and (cast(:st as text) is null or status = :st) order by created_at desc limit 200",
                        UUID.class)
                .setParameter("retailerId", retailerId)
                .setParameter("supplierId", supplierId)
                .setParameter("st", status)
                .getResultList()
                .chain(ids -> views(s, ids));
    }

    /** One line return; 404 if there is none. */
    public Uni<View> find(Mutiny.Session s, UUID id) {
        return s.createNativeQuery("select count(*) from return_request where id = :id", Long.class)
                .setParameter("id", id)
                .getSingleResult()
                .chain(n -> n == 0 ? Uni.createFrom().failure(ProblemException.notFound("return " + id)) : view(s, id));
    }

    /** Per line of the supplier order: its SKU and the units not returned or asked for yet (refused requests free theirs). */
    private static Uni<Map<String, Object[]>> left(Mutiny.Session s, UUID supplierOrderId) {
        return s.createNativeQuery(
                        "select l.line_id, l.sku, l.quantity - coalesce((select sum(rl.quantity) from return_request_line rl"
                                + " join return_request r on r.id = rl.request_id where r.supplier_order_id = l.supplier_order_id"
                                + " and rl.line_id = l.line_id and r.status <> 'REFUSED'), 0)"
                                + " from supplier_order_line_account l where l.supplier_order_id = :supplierOrderId",
                        Object[].class)
                .setParameter("supplierOrderId", supplierOrderId)
                .getResultList()
                .map(rows -> {
                    Map<String, Object[]> out = new HashMap<>();
                    rows.forEach(r -> out.put((String) r[0], new Object[] {r[1], r[2]}));
                    return out;
                });
    }

    /**
     * The supplier authorises (or support overrules its refusal): what it gives back is fixed now, from its policy.
     * 409 unless REQUESTED (or, for an overrule, REFUSED).
     */
    public Uni<Void> authorise(
            Mutiny.Session s,
            UUID id,
            String supplierScope,
            String by,
            String instructions,
            boolean overrule,
            String note) {
        return row(s, id, supplierScope).chain(r -> {
            String status = (String) r[0];
            if (overrule ? !status.equals("REFUSED") : !status.equals("REQUESTED")) {
                throw ProblemException.conflict("return " + id + " is " + status);
            }
            UUID so = (UUID) r[1];
            return s.createNativeQuery(
                            "select coalesce(sum(rl.quantity * l.wholesale_price), 0), coalesce(sum(rl.quantity), 0),"
                                    + " (select sum(quantity) from supplier_order_line_account where supplier_order_id = :supplierOrderId),"
                                    + " (select shipping_cost from supplier_order_account where supplier_order_id = :supplierOrderId)"
                                    + " from return_request_line rl join supplier_order_line_account l on l.supplier_order_id = :supplierOrderId"
                                    + " and l.line_id = rl.line_id where rl.request_id = :id",
                            Object[].class)
                    .setParameter("supplierOrderId", so)
                    .setParameter("id", id)
                    .getSingleResult()
                    .chain(m -> ReturnPolicies.of(s, (String) r[2]).chain(p -> {
                        BigDecimal amount = p.giveBack(
                                        (String) r[3],
                                        (BigDecimal) m[0],
                                        ((Number) m[1]).longValue(),
                                        m[2] == null ? 0 : ((Number) m[2]).longValue(),
                                        (BigDecimal) m[3])
                                .amount();
                        return s.createNativeQuery(
                                        "update return_request set status = 'AUTHORISED', instructions = :ins,"
                                                + " amount = :amount, restocking_fee_percent = :pct, return_shipping_paid_by = :ship,"
                                                + " decided_by = :by, overruled_by = case when :over then :by else overruled_by end,"
                                                + " updated_at = now() where id = :id")
                                .setParameter("ins", instructions)
                                .setParameter("amount", amount)
                                .setParameter("pct", p.restockingFeePercent())
                                .setParameter("ship", p.returnShippingPaidBy())
                                .setParameter("by", by)
                                .setParameter("over", overrule)
                                .setParameter("id", id)
                                .executeUpdate()
                                .chain(() -> announce(s, id, note));
                    }));
        });
    }

    public Uni<Void> refuse(Mutiny.Session s, UUID id, String supplierScope, String by, String reason) {
        return row(s, id, supplierScope).chain(r -> {
            if (!r[0].equals("REQUESTED")) {
                throw ProblemException.conflict("return " + id + " is " + r[0]);
            }
            return s.createNativeQuery("update return_request set status = 'REFUSED', refusal = :why, decided_by = :by,"
                            + " updated_at = now() where id = :id")
                    .setParameter("why", reason)
                    .setParameter("by", by)
                    .setParameter("id", id)
                    .executeUpdate()
                    .chain(() -> announce(s, id, reason));
        });
    }

    /**
     * The supplier has the parcel: the money is given back now (a give-back StripeCalls carries out), and units it can
     * sell again go back into its stock (inventory reads ReturnUpdated). 409 unless AUTHORISED.
     */
    public Uni<Void> received(Mutiny.Session s, UUID id, String supplierScope, String by, boolean sellable) {
        return row(s, id, supplierScope).chain(r -> {
            if (!r[0].equals("AUTHORISED")) {
                throw ProblemException.conflict(
                        "return " + id + " is " + r[0] + "; a parcel is received for an authorised return");
            }
            UUID giveBack = UUID.randomUUID();
            UUID so = (UUID) r[1];
            BigDecimal amount = (BigDecimal) r[4];
            String currency = (String) r[3];
            return GiveBacks.record(
                            s,
                            giveBack,
                            new GiveBacks.GiveBack(
                                    so,
                                    (UUID) r[6],
                                    (String) r[5],
                                    (String) r[2],
                                    (String) r[7],
                                    currency,
                                    BigDecimal.ZERO,
                                    amount,
                                    by,
                                    null,
                                    id,
                                    true))
                    .chain(() -> s.createNativeQuery("update return_request set status = 'RECEIVED', sellable = :sell,"
                                    + " give_back_id = :g, updated_at = now() where id = :id")
                            .setParameter("sell", sellable)
                            .setParameter("g", giveBack)
                            .setParameter("id", id)
                            .executeUpdate())
                    .chain(() -> announce(s, id, null));
        });
    }

    /** StripeCalls gave the money back: the return is REFUNDED. */
    public Uni<Void> refunded(Mutiny.Session s, UUID giveBackId) {
        return s.createNativeQuery(
                        "update return_request set status = 'REFUNDED', updated_at = now() where give_back_id = :g"
                                + " and status = 'RECEIVED' returning id",
                        UUID.class)
                .setParameter("g", giveBackId)
                .getResultList()
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().voidItem() : announce(s, ids.get(0), null));
    }

    /** status, supplier order, supplier, currency, amount, retailer, order, reason; 404 unless the supplier's own (when scoped). */
    private static Uni<Object[]> row(Mutiny.Session s, UUID id, String supplierScope) {
        return s.createNativeQuery(
                        "select status, supplier_order_id, supplier_id, currency, amount, retailer_id, order_id, reason"
                                + " from return_request"
                                + " where id = :id for update",
                        Object[].class)
                .setParameter("id", id)
                .getResultList()
                .map(rows -> {
                    if (rows.isEmpty() || (supplierScope != null && !supplierScope.equals(rows.get(0)[2]))) {
                        throw ProblemException.notFound("return " + id);
                    }
                    Object[] r = rows.get(0);
                    r[3] = ((String) r[3]).strip();
                    return r;
                });
    }

    public Uni<View> view(Mutiny.Session s, UUID id) {
        return views(s, List.of(id)).map(v -> v.get(0));
    }

    /** The returns of the ids, in their order, with their lines: two queries however many. */
    public Uni<List<View>> views(Mutiny.Session s, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return s.createNativeQuery(
                        "select id, supplier_order_id, order_id, retailer_id, supplier_id, status, reason, instructions,"
                                + " refusal, overruled_by, return_shipping_paid_by, restocking_fee_percent, amount, currency, sellable,"
                                + " created_at, updated_at from return_request where id in (:ids)",
                        Object[].class)
                .setParameter("ids", ids)
                .getResultList()
                .chain(rows -> s.createNativeQuery(
                                "select request_id, line_id, sku, quantity from return_request_line"
                                        + " where request_id in (:ids) order by line_id",
                                Object[].class)
                        .setParameter("ids", ids)
                        .getResultList()
                        .map(lines -> {
                            java.util.Map<UUID, Object[]> byId = new java.util.HashMap<>();
                            rows.forEach(r -> byId.put((UUID) r[0], r));
                            return ids.stream()
                                    .map(byId::get)
                                    .filter(java.util.Objects::nonNull)
                                    .map(r -> new View(
                                            (UUID) r[0],
                                            (UUID) r[1],
                                            (UUID) r[2],
                                            (String) r[3],
                                            (String) r[4],
                                            (String) r[5],
                                            (String) r[6],
                                            lines.stream()
                                                    .filter(l -> r[0].equals(l[0]))
                                                    .map(l -> new Line(
                                                            (String) l[1], (String) l[2], ((Number) l[3]).intValue()))
                                                    .toList(),
                                            (String) r[7],
                                            (String) r[8],
                                            (String) r[9],
                                            (String) r[10],
                                            (BigDecimal) r[11],
                                            (BigDecimal) r[12],
                                            ((String) r[13]).strip(),
                                            (Boolean) r[14],
                                            instant(r[15]),
                                            instant(r[16])))
                                    .toList();
                        }));
    }

    private Uni<Void> announce(Mutiny.Session s, UUID id, String note) {
        return view(s, id)
                .chain(v -> outbox.publish(
                        s,
                        TOPIC,
                        v.orderId().toString(),
                        new ReturnUpdated(
                                v.returnId(),
                                v.orderId(),
                                v.supplierOrderId(),
                                v.retailerId(),
                                v.supplierId(),
                                v.status(),
                                v.reason(),
                                v.lines(),
                                v.amount(),
                                v.currency(),
                                v.sellable(),
                                note,
                                Instant.now())))
                .replaceWithVoid();
    }
}
