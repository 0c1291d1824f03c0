package io.dropship.gateway.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.platform.outbox.TimeOrderedIds;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Turns the events that need someone's attention into notifications, once per event (the inbox) and once per person
 * (the notification's key): retailers hear of held orders, cancellations they did not make, failed charges and
 * supplier rejections; suppliers without a callback endpoint of orders they received and cancellations; suppliers of
 * payouts sent. One consumer group reads all of these topics, a poll's worth at a time in one transaction (the
 * inbox's applyAll; the fetch waits up to a second for more, so a poll carries many orders' events rather than one:
 * every supplier order tells its supplier, so this was a commit per order).
 */
@ApplicationScoped
public class NotificationConsumer {

    static final String CHANNEL = "notifications";

    private final Inbox inbox;
    private final Notifications notifications;
    private final NotificationMailer mailer;

    public NotificationConsumer(Inbox inbox, Notifications notifications, NotificationMailer mailer) {
        this.inbox = inbox;
        this.notifications = notifications;
        this.mailer = mailer;
    }

    /** A poll's notifications in one transaction; the mailer looks for their e-mails once it has committed. */
    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return apply(records).invoke(mailer::wake);
    }

    private Uni<Void> apply(ConsumerRecords<String, String> records) {
        return inbox.applyAll(CHANNEL, records, JsonNode.class, (s, event, json) -> switch (event.topic()) {
            case "OrderStatusChanged" -> orderStatus(s, event.eventId(), json);
            case "PaymentFailed" -> paymentFailed(s, event.eventId(), json);
            case "SupplierOrderRejected" -> rejected(s, event.eventId(), json);
            case "SupplierOrderUpdated" -> supplierOrder(s, event.eventId(), json);
            case "Settled" -> settled(s, event.eventId(), json);
            case "CaseUpdated" -> caseUpdated(s, event.eventId(), json);
            case "ReturnUpdated" -> returnUpdated(s, event.eventId(), json);
            case "SubscriptionChanged" -> subscription(s, json);
            case "PriceChangeWaiting" ->
                notifications.notify(
                        s,
                        new Notifications.Notice(
                                NotificationKind.PRICE_CHANGE_WAITING,
                                required(json, "retailerId"),
                                "evt:" + event.eventId(),
                                "A new price waits for you: "
                                        + (text(json, "title") == null
                                                ? required(json, "listingId")
                                                : text(json, "title")),
                                text(json, "sku") + ": " + text(json, "oldPrice") + " -> " + text(json, "newPrice")
                                        + " " + text(json, "currency")
                                        + ". It " + required(json, "reason")
                                        + ". Approve it (it goes live and to your store) or reject it"
                                        + " (the listing keeps its price).",
                                "/api/listings/price-changes?status=PENDING",
                                String.valueOf(json.path("changeId").asLong())));
            case "ReconciliationMismatch" ->
                notifications.notify(
                        s,
                        new Notifications.Notice(
                                NotificationKind.RECONCILIATION_MISMATCH,
                                null,
                                "recon:" + required(json, "day") + ":" + required(json, "kind") + ":"
                                        + required(json, "reference"),
                                "Reconciliation of " + required(json, "day") + ": "
                                        + required(json, "kind").toLowerCase().replace('_', ' '),
                                text(json, "detail") + " (reference " + required(json, "reference")
                                        + (text(json, "supplierId") == null
                                                ? ""
                                                : ", supplier " + text(json, "supplierId"))
                                        + ")",
                                "/api/reconciliation?date=" + required(json, "day"),
                                required(json, "reference")));
            default -> Uni.createFrom().voidItem();
        });
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String required(JsonNode json, String field) {
        String v = text(json, field);
        if (v == null || v.isBlank()) {
            throw new PoisonMessageException("the event has no " + field);
        }
        return v;
    }

    private static String number(JsonNode json) {
        String n = text(json, "orderNumber");
        return n != null ? n : "order " + TimeOrderedIds.shortForm(required(json, "orderId"));
    }

    private Uni<Void> orderStatus(Mutiny.Session s, String eventId, JsonNode json) {
        String status = required(json, "status");
        String orderId = required(json, "orderId");
        String retailer = required(json, "retailerId");
        String source = text(json, "source");
        String reason = text(json, "reason");
        if (status.equals("ON_HOLD")) {
            return notifications.notify(
                    s,
                    new Notifications.Notice(
                                    NotificationKind.ORDER_HELD,
                                    retailer,
                                    "evt:" + eventId,
                                    number(json) + " is on hold",
                                    "No supplier can take it as it stands: " + reason
                                            + "\nIt is routed again by itself when stock returns, an offer"
                                            + " is added or a supplier is reinstated. You can route a line by hand, substitute a listing, or cancel it.",
                                    "/api/orders/" + orderId,
                                    orderId)
                            .about(orderId));
        }
        if (status.equals("CANCELLED") && source != null && !source.equals("RETAILER") && !source.equals("STORE")) {
            String by = switch (source) {
                case "EXPIRY" -> "it was held longer than your order settings allow";
                case "ADMIN", "SUPPORT" -> "platform support cancelled it";
                default -> "the platform cancelled it";
            };
            boolean told = json.path("tellStore").asBoolean(false);
            return notifications.notify(
                    s,
                    new Notifications.Notice(
                                    NotificationKind.ORDER_CANCELLED,
                                    retailer,
                                    "evt:" + eventId,
                                    number(json) + " was cancelled",
                                    "It was cancelled because " + by + (reason == null ? "." : ": " + reason + ".")
                                            + (told
                                                    ? "\nYour store is told, and your customer reads: "
                                                            + text(json, "customerMessage")
                                                    : "")
                                            + "\nWhat was paid for it is refunded.",
                                    "/api/orders/" + orderId,
                                    orderId)
                            .about(orderId));
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> paymentFailed(Mutiny.Session s, String eventId, JsonNode json) {
        String orderId = required(json, "orderId");
        String next = text(json, "nextAttemptAt");
        String held = text(json, "holdReason");
        if (held != null) {
            // Not a decline: the platform holds the order for the retailer's plan (its monthly limit, or a subscription
            // unpaid past its grace period); the reason says what releases it.
            return notifications.notify(
                    s,
                    new Notifications.Notice(
                                    NotificationKind.PAYMENT_FAILED,
                                    required(json, "retailerId"),
                                    "evt:" + eventId,
                                    number(json) + " waits: "
                                            + (held.equals("PLAN_LIMIT")
                                                    ? "your plan's monthly orders are used up"
                                                    : "your subscription is unpaid"),
                                    "Its supplier orders wait: " + text(json, "reason") + ".",
                                    "/api/billing/usage",
                                    orderId)
                            .about(orderId));
        }
        return notifications.notify(
                s,
                new Notifications.Notice(
                                NotificationKind.PAYMENT_FAILED,
                                required(json, "retailerId"),
                                "evt:" + eventId,
                                "The charge for " + number(json) + " failed",
                                "We could not charge " + text(json, "amount") + " " + text(json, "currency") + ": "
                                        + text(json, "reason")
                                        + " (attempt " + json.path("attempts").asInt(1) + ")."
                                        + (next == null ? "" : " We try again at " + next + ".")
                                        + "\nIts supplier orders wait for the payment. Check your payment method under billing.",
                                "/api/orders/" + orderId,
                                orderId)
                        .about(orderId));
    }

    /**
     * A renewal that failed (PAST_DUE, told once per grace period) and a subscription that ended (once): the retailer
     * learns what to do before its new orders wait, and on which terms it goes on.
     */
    private Uni<Void> subscription(Mutiny.Session s, JsonNode json) {
        String retailer = required(json, "retailerId");
        String id = required(json, "subscriptionId");
        String plan = required(json, "plan");
        String grace = text(json, "graceUntil");
        return switch (required(json, "status")) {
            case "PAST_DUE" ->
                grace == null
                        ? Uni.createFrom().voidItem()
                        : notifications.notify(
                                s,
                                new Notifications.Notice(
                                        NotificationKind.SUBSCRIPTION,
                                        retailer,
                                        "sub:" + id + ":past-due:" + grace,
                                        "Your " + plan + " subscription could not be renewed",
                                        "Stripe could not charge your card for this month of " + plan
                                                + ". Save a working card (billing, payment method)"
                                                + " before " + grace
                                                + ": it pays the subscription at once. After that, new orders wait until it is"
                                                + " paid; orders already paid for are not affected.",
                                        "/api/billing/subscription",
                                        id));
            case "CANCELED" ->
                notifications.notify(
                        s,
                        new Notifications.Notice(
                                NotificationKind.SUBSCRIPTION,
                                retailer,
                                "sub:" + id + ":ended",
                                "Your " + plan + " subscription has ended",
                                "Your orders go on at BASIC's pay-as-you-go terms. Subscribe again under billing whenever you like.",
                                "/api/billing/plans",
                                id));
            default -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> rejected(Mutiny.Session s, String eventId, JsonNode json) {
        String orderId = required(json, "orderId");
        return s.createNativeQuery(
                        "select retailer_id, order_number from inbound_order where id = :orderId", Object[].class)
                .setParameter("orderId", UUID.fromString(orderId))
                .getResultList()
                .chain(rows -> rows.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : notifications.notify(
                                s,
                                new Notifications.Notice(
                                                NotificationKind.SUPPLIER_REJECTED,
                                                (String) rows.get(0)[0],
                                                "evt:" + eventId,
                                                "A supplier rejected its part of "
                                                        + (rows.get(0)[1] == null
                                                                ? "order " + TimeOrderedIds.shortForm(orderId)
                                                                : rows.get(0)[1]),
                                                "Supplier " + text(json, "supplierId") + " rejected it: "
                                                        + text(json, "reason")
                                                        + "\nIts lines are routed to another supplier, or the order is held if none can take them.",
                                                "/api/orders/" + orderId,
                                                orderId)
                                        .about(orderId)));
    }

    private Uni<Void> supplierOrder(Mutiny.Session s, String eventId, JsonNode json) {
        if (json.path("byCallback").asBoolean(false)) {
            return Uni.createFrom().voidItem();
        }
        String event = required(json, "event");
        String supplierOrderId = required(json, "supplierOrderId");
        String link = "/api/supplier/orders/" + supplierOrderId;
        String supplier = required(json, "supplierId");
        return switch (event) {
            case "supplier_order.received" ->
                notifications.notify(
                        s,
                        new Notifications.Notice(
                                        NotificationKind.SUPPLIER_ORDER_RECEIVED,
                                        supplier,
                                        "evt:" + eventId,
                                        "New order " + number(json) + " to ship",
                                        "It is paid and waits for you: accept it, then ship it with its tracking number, or reject it with a reason.",
                                        link,
                                        supplierOrderId)
                                .about(text(json, "orderId")));
            case "supplier_order.cancel_requested" ->
                notifications.notify(
                        s,
                        new Notifications.Notice(
                                        NotificationKind.SUPPLIER_ORDER_CANCELLED,
                                        supplier,
                                        "evt:" + eventId,
                                        "Please stop order " + number(json),
                                        "Its order was cancelled"
                                                + (text(json, "reason") == null ? "" : ": " + text(json, "reason"))
                                                + ". You accepted it already: confirm the cancellation if it has not left, or ship it anyway.",
                                        link,
                                        supplierOrderId)
                                .about(text(json, "orderId")));
            case "supplier_order.cancelled" ->
                notifications.notify(
                        s,
                        new Notifications.Notice(
                                        NotificationKind.SUPPLIER_ORDER_CANCELLED,
                                        supplier,
                                        "evt:" + eventId,
                                        "Order " + number(json) + " was withdrawn",
                                        "Its order was cancelled"
                                                + (text(json, "reason") == null ? "" : ": " + text(json, "reason"))
                                                + ". Do not ship it.",
                                        link,
                                        supplierOrderId)
                                .about(text(json, "orderId")));
            default -> Uni.createFrom().voidItem();
        };
    }

    /** The supplier hears of returns to authorise; the retailer of the answers and the refund. */
    private Uni<Void> returnUpdated(Mutiny.Session s, String eventId, JsonNode json) {
        String status = required(json, "status");
        String orderId = required(json, "orderId");
        String returnId = required(json, "returnId");
        int units = 0;
        for (JsonNode l : json.path("lines")) {
            units += l.path("quantity").asInt(0);
        }
        String what = units + (units == 1 ? " unit" : " units") + " of supplier order "
                + TimeOrderedIds.shortForm(required(json, "supplierOrderId"));
        String link = "/api/return-requests/" + returnId;
        return switch (status) {
            case "REQUESTED" ->
                notifications.notify(
                        s,
                        new Notifications.Notice(
                                        NotificationKind.RETURN_TO_AUTHORISE,
                                        required(json, "supplierId"),
                                        "evt:" + eventId,
                                        "A return to authorise: " + what,
                                        "The retailer asks to return " + what + ": " + text(json, "reason")
                                                + "\nAuthorise it with return instructions, or refuse it with a reason.",
                                        link,
                                        returnId)
                                .about(orderId));
            case "AUTHORISED", "REFUSED", "REFUNDED" ->
                notifications.notify(
                        s,
                        new Notifications.Notice(
                                        NotificationKind.RETURN_RETAILER,
                                        required(json, "retailerId"),
                                        "evt:" + eventId,
                                        "Your return of " + what + " was " + status.toLowerCase(),
                                        switch (status) {
                                            case "AUTHORISED" ->
                                                "Send it back as the supplier says; " + text(json, "amount") + " "
                                                        + text(json, "currency")
                                                        + " will be refunded once the supplier has it.";
                                            case "REFUSED" ->
                                                "The supplier refused it: " + text(json, "note")
                                                        + ". Support can overrule a refusal.";
                                            default ->
                                                text(json, "amount") + " " + text(json, "currency")
                                                        + " was refunded to you.";
                                        },
                                        link,
                                        returnId)
                                .about(orderId));
            default -> Uni.createFrom().voidItem();
        };
    }

    /** The parties who did not act hear of a case; staff hear of every new one. */
    private Uni<Void> caseUpdated(Mutiny.Session s, String eventId, JsonNode json) {
        String caseId = required(json, "caseId");
        String orderId = required(json, "orderId");
        String event = required(json, "event");
        String by = String.valueOf(text(json, "byRole"));
        String kind = String.valueOf(text(json, "kind")).toLowerCase().replace('_', ' ');
        String title = switch (event) {
            case "OPENED" -> "New case: " + text(json, "subject");
            case "MESSAGE" -> "A new message in the case \"" + text(json, "subject") + "\"";
            case "RESOLVED" -> "Case resolved: " + text(json, "subject");
            default ->
                "The case \"" + text(json, "subject") + "\" waits on "
                        + String.valueOf(text(json, "status")).toLowerCase().replace('_', ' ');
        };
        String body = "A " + kind + " case, "
                + (event.equals("OPENED") ? "opened" : event.equals("MESSAGE") ? "written to" : "updated") + " by the "
                + by.toLowerCase() + "."
                + (event.equals("RESOLVED")
                        ? " Outcome: "
                                + String.valueOf(text(json, "outcome"))
                                        .toLowerCase()
                                        .replace('_', ' ')
                                + (text(json, "refundAmount") == null
                                        ? ""
                                        : ", " + text(json, "refundAmount") + " " + text(json, "currency"))
                                + "."
                        : " Read it and answer in the case.");
        String link = "/api/cases/" + caseId;
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (!by.equals("RETAILER")) {
            chain = chain.chain(() -> notifications.notify(
                    s,
                    new Notifications.Notice(
                                    NotificationKind.CASE_RETAILER,
                                    required(json, "retailerId"),
                                    "evt:" + eventId,
                                    title,
                                    body,
                                    link,
                                    caseId)
                            .about(orderId)));
        }
        String supplier = text(json, "supplierId");
        if (!by.equals("SUPPLIER") && supplier != null && !"DISPUTE".equals(text(json, "kind"))) {
            chain = chain.chain(() -> notifications.notify(
                    s,
                    new Notifications.Notice(
                                    NotificationKind.CASE_SUPPLIER,
                                    supplier,
                                    "evt:" + eventId,
                                    title,
                                    body,
                                    link,
                                    caseId)
                            .about(orderId)));
        }
        if (event.equals("OPENED") && !by.equals("SUPPORT") && !by.equals("ADMIN")) {
            chain = chain.chain(() -> notifications.notify(
                    s,
                    new Notifications.Notice(
                                    NotificationKind.CASE_STAFF, null, "evt:" + eventId, title, body, link, caseId)
                            .about(orderId)));
        }
        return chain;
    }

    private Uni<Void> settled(Mutiny.Session s, String eventId, JsonNode json) {
        String supplierOrderId = required(json, "supplierOrderId");
        return notifications.notify(
                s,
                new Notifications.Notice(
                                NotificationKind.PAYOUT_SENT,
                                required(json, "supplierId"),
                                "evt:" + eventId,
                                "Payout of " + text(json, "supplierPayout") + " " + text(json, "currency") + " sent",
                                "Your payout for supplier order " + TimeOrderedIds.shortForm(supplierOrderId)
                                        + " is on its way to your account"
                                        + (text(json, "transferId") == null
                                                ? "."
                                                : " (transfer " + text(json, "transferId") + ")."),
                                "/api/supplier/orders/" + supplierOrderId,
                                supplierOrderId)
                        .about(text(json, "orderId")));
    }
}
