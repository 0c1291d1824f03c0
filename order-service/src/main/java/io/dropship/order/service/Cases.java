package io.dropship.order.service;

import static io.dropship.platform.sql.SqlValues.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.order.entity.CustomerOrder;
import io.dropship.order.entity.SupplierOrder;
import io.dropship.order.entity.SupplierOrderLine;
import io.dropship.order.messaging.events.SupplierOrderRouted;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.TimeOrderedIds;
import io.dropship.platform.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Cases on orders: something went wrong after the order left (a missing parcel, a damaged or wrong item, a late
 * delivery; a card dispute opened by settlement-service). The retailer, the supplier or support opens one on an order
 * or one of its supplier orders; the parties write to each other (attachments by reference: a name and an https URL);
 * the status says whose turn it is; support closes it with an outcome the platform carries out: REFUND (settlement
 * refunds the retailer, from the supplier's transfer or at the platform's cost), RESHIP (the supplier order goes to
 * its supplier again at no charge to the retailer, and its supplier is not paid for it), NO_ACTION. Every step is
 * announced (CaseUpdated): the other parties are told, the order's timeline keeps it.
 */
@ApplicationScoped
public class Cases {

    public static final String TOPIC = "CaseUpdated";

    public enum Kind {
        MISSING_PARCEL,
        DAMAGED_ITEM,
        WRONG_ITEM,
        LATE_DELIVERY,
        DISPUTE
    }

    public enum Status {
        OPEN,
        WAITING_ON_SUPPLIER,
        WAITING_ON_RETAILER,
        RESOLVED
    }

    public enum Outcome {
        REFUND,
        RESHIP,
        NO_ACTION
    }

    /** Who acts: RETAILER (with its retailer id), SUPPLIER (with its supplier id), SUPPORT, ADMIN or PLATFORM. */
    public record Actor(String role, String name, String tenantId) {
        boolean staff() {
            return role.equals("SUPPORT") || role.equals("ADMIN") || role.equals("PLATFORM");
        }
    }

    public record Attachment(String name, String url, String contentType) {}

    public record Message(
            long id, String authorRole, String author, String body, List<Attachment> attachments, Instant at) {}

    public record CaseView(
            UUID caseId,
            UUID orderId,
            UUID supplierOrderId,
            String retailerId,
            String supplierId,
            String kind,
            String status,
            String subject,
            String openedByRole,
            String openedBy,
            String outcome,
            BigDecimal refundAmount,
            String chargeTo,
            String outcomeNote,
            UUID reshipSupplierOrderId,
            String resolvedBy,
            Instant openedAt,
            Instant updatedAt,
            Instant resolvedAt,
            List<Message> messages) {}

    /** CaseUpdated as this service writes it (contracts/events/CaseUpdated.schema.json). */
    public record CaseUpdated(
            UUID caseId,
            UUID orderId,
            UUID supplierOrderId,
            String supplierId,
            String retailerId,
            String kind,
            String event,
            String status,
            String byRole,
            String subject,
            String outcome,
            String refundAmount,
            String currency,
            String chargeTo,
            UUID reshipSupplierOrderId,
            String note,
            Instant occurredAt) {}

    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;

    public Cases(Outbox outbox, ObjectMapper mapper, MeterRegistry meters) {
        this.outbox = outbox;
        this.mapper = mapper;
        this.meters = meters;
    }

    /** Opens a case and writes its first message; answers its id. */
    public Uni<UUID> open(
            Mutiny.Session s,
            Actor actor,
            UUID orderId,
            UUID supplierOrderId,
            Kind kind,
            String subject,
            String message,
            List<Attachment> attachments) {
        if (kind == Kind.DISPUTE && !actor.role().equals("PLATFORM")) {
            throw ProblemException.badRequest(
                    "a DISPUTE case is opened by the card dispute itself, not through the API");
        }
        return OrderLock.of(s, orderId)
                .chain(() -> s.find(CustomerOrder.class, orderId))
                .chain(order -> {
                    if (order == null
                            || (actor.role().equals("RETAILER") && !order.retailerId.equals(actor.tenantId()))) {
                        throw ProblemException.notFound("order " + orderId);
                    }
                    if (actor.role().equals("SUPPLIER") && supplierOrderId == null) {
                        throw ProblemException.badRequest(
                                "a supplier opens a case on one of its supplier orders: supplierOrderId");
                    }
                    Uni<SupplierOrder> so = supplierOrderId == null
                            ? Uni.createFrom().nullItem()
                            : s.find(SupplierOrder.class, supplierOrderId);
                    return so.chain(found -> {
                        if (supplierOrderId != null
                                && (found == null
                                        || !found.orderId.equals(orderId)
                                        || (actor.role().equals("SUPPLIER")
                                                && !found.supplierId.equals(actor.tenantId())))) {
                            throw ProblemException.notFound(
                                    "supplier order " + supplierOrderId + " of order " + orderId);
                        }
                        UUID id = UUID.randomUUID();
                        Status status = actor.role().equals("RETAILER") && found != null
                                ? Status.WAITING_ON_SUPPLIER
                                : actor.role().equals("SUPPLIER") ? Status.WAITING_ON_RETAILER : Status.OPEN;
                        return s.createNativeQuery(
                                        "insert into order_case (id, order_id, supplier_order_id, retailer_id, supplier_id, kind,"
                                                + " status, subject, opened_by_role, opened_by, opened_at, updated_at)"
                                                + " values (:id, :orderId, :supplierOrderId, :retailerId, :sup, :kind, :status, :subject, :role, :by, now(), now())")
                                .setParameter("id", id)
                                .setParameter("orderId", orderId)
                                .setParameter("supplierOrderId", supplierOrderId)
                                .setParameter("retailerId", order.retailerId)
                                .setParameter("sup", found == null ? null : found.supplierId)
                                .setParameter("kind", kind.name())
                                .setParameter("status", status.name())
                                .setParameter("subject", subject)
                                .setParameter("role", actor.role())
                                .setParameter("by", actor.name())
                                .executeUpdate()
                                .chain(() -> write(s, id, actor, message, attachments))
                                .chain(() -> announce(s, id, "OPENED", actor, order.currency))
                                .invoke(() -> meters.counter("dropship.cases.opened", "kind", kind.name())
                                        .increment())
                                .replaceWith(id);
                    });
                });
    }

    /**
     * A card dispute of the order's charge (PaymentDisputed): CREATED opens a DISPUTE case for support, with the
     * evidence deadline; UPDATED writes its new status into the case; CLOSED resolves the case with the outcome (the
     * money is settlement's). One case per dispute, however often the news comes.
     */
    public Uni<Void> dispute(
            Mutiny.Session s,
            String disputeId,
            UUID orderId,
            String event,
            String status,
            String reason,
            String amount,
            String currency,
            Instant dueBy,
            String outcome) {
        Actor platform = new Actor("PLATFORM", "card dispute " + disputeId, null);
        return s.createNativeQuery("select id, status from order_case where dispute_id = :d", Object[].class)
                .setParameter("d", disputeId)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return s.find(CustomerOrder.class, orderId)
                                .chain(order -> order == null
                                        ? Uni.createFrom().voidItem()
                                        : open(
                                                        s,
                                                        platform,
                                                        orderId,
                                                        null,
                                                        Kind.DISPUTE,
                                                        "Card dispute of " + amount + " " + currency
                                                                + (reason == null ? "" : " (" + reason + ")"),
                                                        "The cardholder disputed the charge of this order (" + disputeId
                                                                + "). Submit the evidence"
                                                                + (dueBy == null ? "" : " by " + dueBy)
                                                                + " at POST /api/disputes/" + disputeId
                                                                + "/evidence; the suppliers' transfers wait until the dispute closes.",
                                                        List.of())
                                                .chain(id -> s.createNativeQuery(
                                                                "update order_case set dispute_id = :d where id = :id")
                                                        .setParameter("d", disputeId)
                                                        .setParameter("id", id)
                                                        .executeUpdate())
                                                .chain(() -> event.equals("CREATED")
                                                        ? Uni.createFrom().voidItem()
                                                        : dispute(
                                                                s, disputeId, orderId, event, status, reason, amount,
                                                                currency, dueBy, outcome)));
                    }
                    UUID caseId = (UUID) rows.get(0)[0];
                    if ("RESOLVED".equals(rows.get(0)[1]) || event.equals("CREATED")) {
                        return Uni.createFrom().voidItem();
                    }
                    if (event.equals("CLOSED")) {
                        return resolve(
                                s,
                                platform,
                                caseId,
                                Outcome.NO_ACTION,
                                null,
                                null,
                                "The card dispute was "
                                        + ("WON".equals(outcome)
                                                ? "won: the funds came back"
                                                : "lost: the platform bore the amount"));
                    }
                    return write(s, caseId, platform, "The dispute is now " + status.replace('_', ' ') + ".", List.of())
                            .chain(() -> announce(s, caseId, "MESSAGE", platform, null));
                });
    }

    /** A message from a party; the case waits on the other party after it. 409 on a resolved case. */
    public Uni<Void> message(Mutiny.Session s, Actor actor, UUID caseId, String body, List<Attachment> attachments) {
        return owned(s, caseId, actor, true).chain(c -> {
            String status = (String) c[1];
            if (status.equals("RESOLVED")) {
                throw ProblemException.conflict("case " + caseId + " is resolved; open a new one");
            }
            String next = switch (actor.role()) {
                case "RETAILER" -> c[4] == null ? "OPEN" : "WAITING_ON_SUPPLIER";
                case "SUPPLIER" -> "WAITING_ON_RETAILER";
                default -> status;
            };
            return write(s, caseId, actor, body, attachments)
                    .chain(() -> s.createNativeQuery(
                                    "update order_case set status = :st, updated_at = now() where id = :id")
                            .setParameter("st", next)
                            .setParameter("id", caseId)
                            .executeUpdate())
                    .chain(() -> announce(s, caseId, "MESSAGE", actor, null));
        });
    }

    /** Support sets whose turn it is. */
    public Uni<Void> status(Mutiny.Session s, Actor actor, UUID caseId, Status status) {
        if (status == Status.RESOLVED) {
            throw ProblemException.badRequest("a case is RESOLVED with an outcome: POST .../resolve");
        }
        return owned(s, caseId, actor, true).chain(c -> {
            if (c[1].equals("RESOLVED")) {
                throw ProblemException.conflict("case " + caseId + " is resolved");
            }
            return s.createNativeQuery("update order_case set status = :st, updated_at = now() where id = :id")
                    .setParameter("st", status.name())
                    .setParameter("id", caseId)
                    .executeUpdate()
                    .chain(() -> announce(s, caseId, "STATUS_CHANGED", actor, null));
        });
    }

    /**
     * Closes the case with its outcome and carries it out: REFUND (at most what the retailer paid for the supplier
     * order; settlement makes it), RESHIP (a new supplier order at no charge), NO_ACTION. 409 when already resolved.
     */
    public Uni<Void> resolve(
            Mutiny.Session s,
            Actor actor,
            UUID caseId,
            Outcome outcome,
            BigDecimal amount,
            String chargeTo,
            String note) {
        return owned(s, caseId, actor, false).chain(c -> {
            if (c[1].equals("RESOLVED")) {
                throw ProblemException.conflict("case " + caseId + " is resolved already");
            }
            UUID orderId = (UUID) c[2];
            UUID soId = (UUID) c[4];
            if ((outcome == Outcome.REFUND || outcome == Outcome.RESHIP) && soId == null) {
                throw ProblemException.badRequest(outcome + " needs the case to name a supplier order");
            }
            Instant openedAt = instant(c[6]);
            String kind = (String) c[5];
            return OrderLock.of(s, orderId)
                    .chain(() -> s.find(CustomerOrder.class, orderId))
                    .chain(order -> {
                        Uni<UUID> carried = switch (outcome) {
                            case NO_ACTION -> Uni.createFrom().nullItem();
                            case REFUND ->
                                s.createSelectionQuery(
                                                "from SupplierOrder so left join fetch so.lines where so.id = :id",
                                                SupplierOrder.class)
                                        .setParameter("id", soId)
                                        .getSingleResult()
                                        .invoke(so -> {
                                            if (so.status != SupplierOrder.Status.SHIPPED
                                                    && so.status != SupplierOrder.Status.DELIVERED) {
                                                throw ProblemException.conflict(
                                                        "supplier order " + soId + " is " + so.status
                                                                + "; a refund through a case is for one that shipped (cancel one that has not)");
                                            }
                                            BigDecimal paid = so.wholesaleTotal.add(so.shippingCost);
                                            if (amount == null || amount.signum() <= 0 || amount.compareTo(paid) > 0) {
                                                throw ProblemException.badRequest("a refund is more than 0 and at most "
                                                        + paid.toPlainString() + " " + order.currency
                                                        + ", what the supplier order cost the retailer before fees");
                                            }
                                        })
                                        .replaceWith((UUID) null);
                            case RESHIP -> reship(s, order, soId);
                        };
                        return carried.chain(reshipId -> s.createNativeQuery(
                                                "update order_case set status = 'RESOLVED', outcome = :out,"
                                                        + " refund_amount = :amount, charge_to = :to, outcome_note = :note,"
                                                        + " reship_supplier_order_id = :reship, resolved_by = :by, resolved_at = now(),"
                                                        + " updated_at = now() where id = :id")
                                        .setParameter("out", outcome.name())
                                        .setParameter("amount", outcome == Outcome.REFUND ? amount : null)
                                        .setParameter("to", outcome == Outcome.REFUND ? chargeTo : null)
                                        .setParameter("note", note)
                                        .setParameter("reship", reshipId)
                                        .setParameter("by", actor.name())
                                        .setParameter("id", caseId)
                                        .executeUpdate())
                                .chain(() -> write(
                                        s,
                                        caseId,
                                        actor,
                                        "Resolved: "
                                                + outcome.name().toLowerCase().replace('_', ' ')
                                                + (outcome == Outcome.REFUND
                                                        ? " of " + amount.toPlainString() + " " + order.currency
                                                        : "")
                                                + (note == null || note.isBlank() ? "" : ". " + note),
                                        List.of()))
                                .chain(() -> announce(s, caseId, "RESOLVED", actor, order.currency))
                                .invoke(() -> meters.timer(
                                                "dropship.cases.resolution", "kind", kind, "outcome", outcome.name())
                                        .record(Duration.between(openedAt, Instant.now())));
                    });
        });
    }

    /** The supplier order sent again to its supplier, same lines, no charge: announced as any routing. */
    private Uni<UUID> reship(Mutiny.Session s, CustomerOrder order, UUID soId) {
        return s.createSelectionQuery(
                        "from SupplierOrder so left join fetch so.lines where so.id = :id", SupplierOrder.class)
                .setParameter("id", soId)
                .getSingleResult()
                .chain(original -> {
                    if (original.status != SupplierOrder.Status.SHIPPED
                            && original.status != SupplierOrder.Status.DELIVERED) {
                        throw ProblemException.conflict("supplier order " + soId + " is " + original.status
                                + "; only one that shipped is reshipped");
                    }
                    return Mutiny.fetch(order.lines)
                            .chain(orderLines -> s.createNativeQuery(
                                            "select coalesce(max(attempt), 0) from supplier_order where order_id = :orderId",
                                            Integer.class)
                                    .setParameter("orderId", order.id)
                                    .getSingleResult()
                                    .chain(maxAttempt -> {
                                        Instant now = Instant.now();
                                        SupplierOrder so = new SupplierOrder();
                                        so.id = TimeOrderedIds.next();
                                        so.orderId = order.id;
                                        so.supplierId = original.supplierId;
                                        so.attempt = maxAttempt + 1;
                                        so.status = SupplierOrder.Status.ROUTED;
                                        so.reshipOf = original.id;
                                        so.createdAt = now;
                                        so.updatedAt = now;
                                        so.wholesaleTotal = original.wholesaleTotal;
                                        so.shippingCost = original.shippingCost;
                                        List<SupplierOrderRouted.Line> lines = new ArrayList<>();
                                        Map<String, String> titles = new java.util.HashMap<>();
                                        orderLines.forEach(l -> titles.put(l.lineId, l.title));
                                        for (SupplierOrderLine ol : original.lines) {
                                            SupplierOrderLine line = new SupplierOrderLine();
                                            line.key = new SupplierOrderLine.Key(so.id, ol.key.lineId());
                                            line.supplierOrder = so;
                                            line.listingId = ol.listingId;
                                            line.sku = ol.sku;
                                            line.quantity = ol.quantity;
                                            line.wholesalePrice = ol.wholesalePrice;
                                            line.shippingCost = ol.shippingCost;
                                            line.retailPrice = ol.retailPrice;
                                            so.lines.add(line);
                                            lines.add(new SupplierOrderRouted.Line(
                                                    ol.key.lineId(),
                                                    ol.listingId,
                                                    so.supplierId + ":" + ol.sku,
                                                    ol.sku,
                                                    titles.get(ol.key.lineId()),
                                                    ol.quantity,
                                                    ol.wholesalePrice,
                                                    ol.retailPrice));
                                        }
                                        SupplierOrderRouted event = new SupplierOrderRouted(
                                                so.id,
                                                order.id,
                                                order.orderNumber,
                                                order.retailerId,
                                                so.supplierId,
                                                order.storeOrderId,
                                                order.currency,
                                                lines,
                                                order.shippingAddress,
                                                so.wholesaleTotal,
                                                so.shippingCost,
                                                so.attempt,
                                                1,
                                                now,
                                                true,
                                                original.id);
                                        return s.persist(so)
                                                .chain(() -> outbox.publish(
                                                        s, SupplierOrderRouted.TOPIC, order.id.toString(), event))
                                                .replaceWith(so.id);
                                    }));
                });
    }

    /**
     * A reship its supplier could not take (refused for stock, or rejected): nothing is routed elsewhere at the
     * retailer's cost; the case opens again for support, with a message saying why.
     */
    public Uni<Void> reshipFailed(Mutiny.Session s, SupplierOrder reship, String why) {
        return s.createNativeQuery(
                        "select id from order_case where reship_supplier_order_id = :supplierOrderId", UUID.class)
                .setParameter("supplierOrderId", reship.id)
                .getResultList()
                .chain(ids -> ids.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : s.createNativeQuery(
                                        "update order_case set status = 'OPEN', outcome = null, reship_supplier_order_id = null,"
                                                + " resolved_at = null, resolved_by = null, updated_at = now() where id = :id")
                                .setParameter("id", ids.get(0))
                                .executeUpdate()
                                .chain(() -> write(
                                        s,
                                        ids.get(0),
                                        new Actor("PLATFORM", "platform", null),
                                        "The reship could not go out: " + why + ". The case is open again.",
                                        List.of()))
                                .chain(() -> announce(
                                        s,
                                        ids.get(0),
                                        "STATUS_CHANGED",
                                        new Actor("PLATFORM", "platform", null),
                                        null)));
    }

    /** One case with its messages; 404 unless the actor is a party to it (staff are party to every case). */
    public Uni<CaseView> get(Mutiny.Session s, Actor actor, UUID caseId) {
        return owned(s, caseId, actor, true).chain(c -> view(s, caseId));
    }

    /** Cases, newest first: a retailer's own, a supplier's own, or any for staff; by status, kind or order. */
    public Uni<List<CaseView>> list(
            Mutiny.Session s, Actor actor, String status, String kind, UUID orderId, Instant before, int limit) {
        return s.createNativeQuery(
                        "select id from order_case where (cast(:r as text) is null or retailer_id = :r)"
                                + " and (cast(:sup as text) is null or supplier_id = :sup)"
                                + " and (cast(:st as text) is null or status = :st) and (cast(:k as text) is null or kind = :k)"
                                + " and (cast(:orderId as uuid) is null or order_id = :orderId)"
                                + " and (cast(:before as timestamptz) is null or opened_at < :before)"
                                + " order by opened_at desc, id limit :n",
                        UUID.class)
                .setParameter("r", actor.role().equals("RETAILER") ? actor.tenantId() : null)
                .setParameter("sup", actor.role().equals("SUPPLIER") ? actor.tenantId() : null)
                .setParameter("st", status)
                .setParameter("k", kind)
                .setParameter("orderId", orderId)
                .setParameter(
                        "before",
                        before == null ? null : java.time.OffsetDateTime.ofInstant(before, java.time.ZoneOffset.UTC))
                .setParameter("n", limit)
                .getResultList()
                .chain(ids -> views(s, ids));
    }

    /** The case's row (id, status, order, retailer, supplier order, kind, opened at, supplier), if the actor may see it. */
    private Uni<Object[]> owned(Mutiny.Session s, UUID caseId, Actor actor, boolean partiesToo) {
        return s.createNativeQuery(
                        "select id, status, order_id, retailer_id, supplier_order_id, kind, opened_at, supplier_id"
                                + " from order_case where id = :id for update",
                        Object[].class)
                .setParameter("id", caseId)
                .getResultList()
                .map(rows -> {
                    Object[] c = rows.isEmpty() ? null : rows.get(0);
                    boolean party = c != null
                            && (actor.staff()
                                    || (partiesToo
                                            && actor.role().equals("RETAILER")
                                            && actor.tenantId().equals(c[3]))
                                    || (partiesToo
                                            && actor.role().equals("SUPPLIER")
                                            && actor.tenantId().equals(c[7])));
                    if (!party) {
                        throw ProblemException.notFound("case " + caseId);
                    }
                    return c;
                });
    }

    private Uni<Void> write(Mutiny.Session s, UUID caseId, Actor actor, String body, List<Attachment> attachments) {
        String json;
        try {
            json = mapper.writeValueAsString(attachments == null ? List.of() : attachments);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return s.createNativeQuery("insert into case_message (case_id, author_role, author, body, attachments, at)"
                        + " values (:c, :role, :by, :body, cast(cast(:att as text) as jsonb), now())")
                .setParameter("c", caseId)
                .setParameter("role", actor.role())
                .setParameter("by", actor.name())
                .setParameter("body", body)
                .setParameter("att", json)
                .executeUpdate()
                .replaceWithVoid();
    }

    private Uni<Void> announce(Mutiny.Session s, UUID caseId, String event, Actor actor, String currency) {
        return s.createNativeQuery(
                        "select c.order_id, c.supplier_order_id, c.supplier_id, c.retailer_id, c.kind, c.status,"
                                + " c.subject, c.outcome, c.refund_amount, c.charge_to, c.reship_supplier_order_id, c.outcome_note,"
                                + " o.currency from order_case c join customer_order o on o.id = c.order_id where c.id = :id",
                        Object[].class)
                .setParameter("id", caseId)
                .getSingleResult()
                .chain(r -> outbox.publish(
                        s,
                        TOPIC,
                        r[0].toString(),
                        new CaseUpdated(
                                caseId,
                                (UUID) r[0],
                                (UUID) r[1],
                                (String) r[2],
                                (String) r[3],
                                (String) r[4],
                                event,
                                (String) r[5],
                                actor.role(),
                                (String) r[6],
                                (String) r[7],
                                r[8] == null ? null : ((BigDecimal) r[8]).toPlainString(),
                                (String) r[12],
                                (String) r[9],
                                (UUID) r[10],
                                (String) r[11],
                                Instant.now())))
                .replaceWithVoid();
    }

    private Uni<CaseView> view(Mutiny.Session s, UUID caseId) {
        return views(s, List.of(caseId)).map(v -> v.get(0));
    }

    /** The cases of the ids, in their order, with their messages: two queries however many. */
    private Uni<List<CaseView>> views(Mutiny.Session s, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return s.createNativeQuery(
                        "select id, order_id, supplier_order_id, retailer_id, supplier_id, kind, status, subject,"
                                + " opened_by_role, opened_by, outcome, refund_amount, charge_to, outcome_note, reship_supplier_order_id,"
                                + " resolved_by, opened_at, updated_at, resolved_at from order_case where id in (:ids)",
                        Object[].class)
                .setParameter("ids", ids)
                .getResultList()
                .chain(cases -> s.createNativeQuery(
                                "select case_id, id, author_role, author, body, cast(attachments as text), at"
                                        + " from case_message where case_id in (:ids) order by id",
                                Object[].class)
                        .setParameter("ids", ids)
                        .getResultList()
                        .map(messages -> {
                            java.util.Map<UUID, Object[]> byId = new java.util.HashMap<>();
                            cases.forEach(c -> byId.put((UUID) c[0], c));
                            return ids.stream()
                                    .map(byId::get)
                                    .filter(java.util.Objects::nonNull)
                                    .map(c -> new CaseView(
                                            (UUID) c[0],
                                            (UUID) c[1],
                                            (UUID) c[2],
                                            (String) c[3],
                                            (String) c[4],
                                            (String) c[5],
                                            (String) c[6],
                                            (String) c[7],
                                            (String) c[8],
                                            (String) c[9],
                                            (String) c[10],
                                            (BigDecimal) c[11],
                                            (String) c[12],
                                            (String) c[13],
                                            (UUID) c[14],
                                            (String) c[15],
                                            instant(c[16]),
                                            instant(c[17]),
                                            instant(c[18]),
                                            messages.stream()
                                                    .filter(m -> c[0].equals(m[0]))
                                                    .map(m -> new Message(
                                                            ((Number) m[1]).longValue(),
                                                            (String) m[2],
                                                            (String) m[3],
                                                            (String) m[4],
                                                            attachments((String) m[5]),
                                                            instant(m[6])))
                                                    .toList()))
                                    .toList();
                        }));
    }

    private List<Attachment> attachments(String json) {
        try {
            return json == null ? List.of() : List.of(mapper.readValue(json, Attachment[].class));
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    /** Open cases by kind and supplier, for the gauges. */
    public static final String OPEN_BY_KIND_AND_SUPPLIER =
            "select kind, coalesce(supplier_id, 'none'), count(*) from order_case"
                    + " where status <> 'RESOLVED' group by kind, coalesce(supplier_id, 'none')";
}
