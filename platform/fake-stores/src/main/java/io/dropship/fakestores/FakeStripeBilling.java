package io.dropship.fakestores;

import static io.dropship.fakestores.FakeStores.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stripe Billing as the fake Stripe answers it, in Stripe's wire format (API 2025-03-31 and later: a subscription's
 * period is on its items, an invoice names its subscription under {@code parent.subscription_details}):
 * <ul>
 *   <li>{@code POST /v1/products}; {@code POST /v1/prices} (monthly recurring, {@code lookup_key} unique among
 *   prices, moved with {@code transfer_lookup_key}); {@code GET /v1/prices?lookup_keys[0]=..}.</li>
 *   <li>{@code POST /v1/subscriptions}: a trial ({@code trial_period_days}: {@code trialing}, a $0 invoice), or the
 *   first month invoiced and charged to the customer's default payment method at once; {@code payment_behavior}
 *   {@code error_if_incomplete} answers a decline with 402 and creates nothing, otherwise the subscription is
 *   {@code incomplete}.</li>
 *   <li>{@code POST /v1/subscriptions/{id}}: {@code cancel_at_period_end}; a new price for {@code items[0][id]} with
 *   proration by the time left in the period: {@code always_invoice} invoices and charges the difference now (a
 *   negative difference becomes credit on the customer's balance, used by the next invoice), {@code create_prorations}
 *   (the default) adds it to the next renewal, {@code none} changes the price only. No proration during a trial.</li>
 *   <li>{@code DELETE /v1/subscriptions/{id}} cancels at once.</li>
 *   <li>{@code GET /v1/invoices?subscription=&status=}; {@code POST /v1/invoices/{id}/pay} (402 on a decline).</li>
 *   <li>Test clocks ({@code POST /v1/test_helpers/test_clocks}, {@code .../advance}): a customer created with
 *   {@code test_clock} lives in its time; advancing renews its subscriptions (the first renewal after a trial makes
 *   it {@code active}), retries failed invoices 3, 5 and 7 days after a failure (Smart Retries' shape), makes a
 *   subscription {@code past_due} while an invoice is unpaid, cancels it when the retries run out, and ends a
 *   subscription set to cancel at its period end.</li>
 *   <li>Events, signed: {@code customer.subscription.created/updated/deleted} (updated with
 *   {@code previous_attributes}), {@code invoice.finalized}, {@code invoice.paid}, {@code invoice.payment_succeeded},
 *   {@code invoice.payment_failed}.</li>
 * </ul>
 * Payment methods decline as the rest of the fake does: Stripe's {@code pm_card_chargeDeclined*} test methods.
 */
final class FakeStripeBilling {

    /** Days after a failed renewal on which Stripe tries again; after the last, the subscription is cancelled. */
    static final long[] RETRY_DAYS = {3, 5, 7};

    private final FakeStripe stripe;
    /** Prorations waiting for a subscription's next invoice (Stripe's pending invoice items). */
    private final Map<String, List<ObjectNode>> pending = new LinkedHashMap<>();

    private long invoiceNumber = 1000;

    FakeStripeBilling(FakeStripe stripe) {
        this.stripe = stripe;
    }

    // ---- routes ----------------------------------------------------------------------------------------------

    /** A POST this part answers, else null. */
    FakeStores.Reply post(String[] parts, Map<String, String> p) {
        switch (parts[0]) {
            case "products" -> {
                return parts.length == 1 ? product(p) : null;
            }
            case "prices" -> {
                return parts.length == 1 ? price(p) : null;
            }
            case "subscriptions" -> {
                return parts.length == 1 ? subscribe(p) : parts.length == 2 ? update(parts[1], p) : null;
            }
            case "invoices" -> {
                return parts.length == 3 && parts[2].equals("pay") ? payNow(parts[1], p) : null;
            }
            case "test_helpers" -> {
                if (parts.length >= 2 && parts[1].equals("test_clocks")) {
                    if (parts.length == 2) {
                        Long frozen = FakeStripe.amount(p.get("frozen_time"));
                        return frozen == null
                                ? FakeStripe.error(
                                        400,
                                        "invalid_request_error",
                                        "parameter_missing",
                                        null,
                                        "Missing required param: frozen_time.",
                                        "frozen_time")
                                : FakeStores.Reply.of(200, clock(frozen, p.getOrDefault("name", "clock")));
                    }
                    if (parts.length == 4 && parts[3].equals("advance")) {
                        Long to = FakeStripe.amount(p.get("frozen_time"));
                        return to == null
                                ? FakeStripe.error(
                                        400,
                                        "invalid_request_error",
                                        "parameter_missing",
                                        null,
                                        "Missing required param: frozen_time.",
                                        "frozen_time")
                                : advance(parts[2], to);
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    /** A GET this part answers (lists), else null. */
    FakeStores.Reply get(String route, Map<String, String> query) {
        if (route.equals("prices")) {
            List<String> keys = query.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("lookup_keys["))
                    .map(Map.Entry::getValue)
                    .toList();
            return FakeStripe.page(
                    route,
                    stripe.objects.values().stream()
                            .filter(o -> "price".equals(o.path("object").asText()))
                            .filter(o -> keys.isEmpty()
                                    || keys.contains(o.path("lookup_key").asText(null)))
                            .filter(o -> !query.containsKey("active")
                                    || query.get("active")
                                            .equals(String.valueOf(
                                                    o.path("active").asBoolean())))
                            .toList(),
                    query);
        }
        if (route.equals("invoices") || route.equals("subscriptions")) {
            String type = route.equals("invoices") ? "invoice" : "subscription";
            return FakeStripe.page(
                    route,
                    stripe.objects.values().stream()
                            .filter(o -> type.equals(o.path("object").asText()))
                            .filter(o -> !query.containsKey("customer")
                                    || query.get("customer")
                                            .equals(o.path("customer").asText()))
                            .filter(o -> !query.containsKey("status")
                                    || query.get("status")
                                            .equals(o.path("status").asText()))
                            .filter(o -> !query.containsKey("subscription")
                                    || query.get("subscription").equals(subscriptionOf(o)))
                            .toList(),
                    query);
        }
        return null;
    }

    FakeStores.Reply delete(String[] parts, Map<String, String> p) {
        if (parts.length == 2 && parts[0].equals("subscriptions")) {
            ObjectNode sub = stripe.objects.get(parts[1]);
            if (sub == null || !"subscription".equals(sub.path("object").asText())) {
                return missing("subscription", parts[1]);
            }
            if (!sub.get("status").asText().equals("canceled")) {
                end(sub, now(sub));
            }
            return FakeStores.Reply.of(200, sub);
        }
        return null;
    }

    // ---- products and prices ---------------------------------------------------------------------------------

    private FakeStores.Reply product(Map<String, String> p) {
        if (p.get("name") == null || p.get("name").isBlank()) {
            return FakeStripe.error(
                    400, "invalid_request_error", "parameter_missing", null, "Missing required param: name.", "name");
        }
        ObjectNode prod = stripe.create("prod", "product")
                .put("active", true)
                .put("name", p.get("name"))
                .put("description", p.get("description"))
                .put("type", "service");
        FakeStripe.metadata(prod, p);
        return FakeStores.Reply.of(200, prod);
    }

    private FakeStores.Reply price(Map<String, String> p) {
        ObjectNode product = stripe.objects.get(p.getOrDefault("product", ""));
        if (product == null) {
            return FakeStripe.error(
                    400,
                    "invalid_request_error",
                    "resource_missing",
                    null,
                    "No such product: '" + p.get("product") + "'",
                    "product");
        }
        Long amount = FakeStripe.amount(p.get("unit_amount"));
        if (amount == null || amount < 0) {
            return FakeStripe.error(
                    400,
                    "invalid_request_error",
                    "parameter_missing",
                    null,
                    "Missing required param: unit_amount.",
                    "unit_amount");
        }
        String key = p.get("lookup_key");
        if (key != null) {
            ObjectNode holder = stripe.objects.values().stream()
                    .filter(o -> "price".equals(o.path("object").asText())
                            && key.equals(o.path("lookup_key").asText(null)))
                    .findFirst()
                    .orElse(null);
            if (holder != null && !"true".equals(p.get("transfer_lookup_key"))) {
                return FakeStripe.error(
                        400,
                        "invalid_request_error",
                        "lookup_key_exists",
                        null,
                        "A price (`" + holder.get("id").asText() + "`) already uses that lookup key.",
                        "lookup_key");
            }
            if (holder != null) {
                holder.putNull("lookup_key");
            }
        }
        ObjectNode price = stripe.create("price", "price")
                .put("active", true)
                .put("currency", p.getOrDefault("currency", "usd"))
                .put("unit_amount", amount)
                .put("unit_amount_decimal", String.valueOf(amount))
                .put("product", product.get("id").asText())
                .put("lookup_key", key)
                .put("nickname", p.get("nickname"))
                .put("type", "recurring")
                .put("billing_scheme", "per_unit");
        price.putObject("recurring")
                .put("interval", p.getOrDefault("recurring[interval]", "month"))
                .put("interval_count", Integer.parseInt(p.getOrDefault("recurring[interval_count]", "1")))
                .put("usage_type", "licensed");
        FakeStripe.metadata(price, p);
        return FakeStores.Reply.of(200, price);
    }

    // ---- subscriptions ---------------------------------------------------------------------------------------

    private FakeStores.Reply subscribe(Map<String, String> p) {
        ObjectNode customer = stripe.objects.get(p.getOrDefault("customer", ""));
        if (customer == null || !"customer".equals(customer.path("object").asText())) {
            return FakeStripe.error(
                    400,
                    "invalid_request_error",
                    "resource_missing",
                    null,
                    "No such customer: '" + p.get("customer") + "'",
                    "customer");
        }
        ObjectNode price = stripe.objects.get(p.getOrDefault("items[0][price]", ""));
        if (price == null || !"price".equals(price.path("object").asText())) {
            return FakeStripe.error(
                    400,
                    "invalid_request_error",
                    "resource_missing",
                    null,
                    "No such price: '" + p.get("items[0][price]") + "'",
                    "items[0][price]");
        }
        long now = now(customer);
        long trialDays = p.containsKey("trial_period_days") ? Long.parseLong(p.get("trial_period_days")) : 0;
        long periodEnd = trialDays > 0 ? now + trialDays * 86_400 : plusMonth(now);
        ObjectNode sub = stripe.create("sub", "subscription")
                .put("created", now)
                .put("customer", customer.get("id").asText())
                .put("currency", price.get("currency").asText())
                .put("cancel_at_period_end", false)
                .putNull("cancel_at")
                .putNull("canceled_at")
                .putNull("ended_at")
                .put("start_date", now)
                .put("billing_cycle_anchor", periodEnd)
                .put("collection_method", "charge_automatically")
                .put("default_payment_method", p.get("default_payment_method"))
                .put("test_clock", customer.path("test_clock").asText(null));
        if (trialDays > 0) {
            sub.put("status", "trialing").put("trial_start", now).put("trial_end", periodEnd);
        } else {
            sub.put("status", "incomplete").putNull("trial_start").putNull("trial_end");
        }
        FakeStripe.metadata(sub, p);
        ObjectNode item = JSON.createObjectNode()
                .put("id", "si_" + FakeStripe.IDS.incrementAndGet())
                .put("object", "subscription_item")
                .put("created", now)
                .put("quantity", 1)
                .put("subscription", sub.get("id").asText())
                .put("current_period_start", now)
                .put("current_period_end", periodEnd);
        item.set("price", price.deepCopy());
        item.putObject("metadata");
        ObjectNode items = sub.putObject("items")
                .put("object", "list")
                .put("has_more", false)
                .put(
                        "url",
                        "/v1/subscription_items?subscription=" + sub.get("id").asText());
        items.putArray("data").add(item);

        ObjectNode invoice = invoice(
                sub,
                List.of(line(
                        sub,
                        item,
                        price,
                        trialDays > 0 ? 0 : price.get("unit_amount").asLong(),
                        (trialDays > 0 ? "Trial period for " : "1 × ") + productName(price),
                        now,
                        periodEnd,
                        false)),
                "subscription_create",
                now,
                periodEnd,
                now);
        sub.put("latest_invoice", invoice.get("id").asText());
        if (trialDays == 0) {
            String failure = charge(sub, invoice, null, now);
            if (failure != null && "error_if_incomplete".equals(p.get("payment_behavior"))) {
                stripe.objects.remove(sub.get("id").asText());
                stripe.objects.remove(invoice.get("id").asText());
                return declined(failure);
            }
            sub.put("status", failure == null ? "active" : "incomplete");
        }
        stripe.send("customer.subscription.created", sub, null);
        announce(invoice);
        return FakeStores.Reply.of(200, sub);
    }

    private FakeStores.Reply update(String id, Map<String, String> p) {
        ObjectNode sub = stripe.objects.get(id);
        if (sub == null || !"subscription".equals(sub.path("object").asText())) {
            return missing("subscription", id);
        }
        if (sub.get("status").asText().equals("canceled")) {
            return FakeStripe.error(
                    400,
                    "invalid_request_error",
                    null,
                    null,
                    "A canceled subscription can only update its" + " cancellation_details and metadata.",
                    null);
        }
        long now = now(sub);
        ObjectNode previous = JSON.createObjectNode();
        ObjectNode item = item(sub);
        String newPrice = p.get("items[0][price]");
        ObjectNode invoice = null;
        if (newPrice != null && !newPrice.equals(item.path("price").path("id").asText())) {
            if (p.containsKey("items[0][id]")
                    && !p.get("items[0][id]").equals(item.get("id").asText())) {
                return FakeStripe.error(
                        400,
                        "invalid_request_error",
                        "resource_missing",
                        null,
                        "No such subscription item: '" + p.get("items[0][id]") + "'",
                        "items[0][id]");
            }
            ObjectNode price = stripe.objects.get(newPrice);
            if (price == null || !"price".equals(price.path("object").asText())) {
                return FakeStripe.error(
                        400,
                        "invalid_request_error",
                        "resource_missing",
                        null,
                        "No such price: '" + newPrice + "'",
                        "items[0][price]");
            }
            ObjectNode old = (ObjectNode) item.get("price");
            String behavior = p.getOrDefault("proration_behavior", "create_prorations");
            List<ObjectNode> prorations = new ArrayList<>();
            if (!sub.get("status").asText().equals("trialing") && !behavior.equals("none")) {
                long start = item.get("current_period_start").asLong();
                long end = item.get("current_period_end").asLong();
                double left = Math.max(0, Math.min(1, (end - now) / (double) (end - start)));
                prorations.add(line(
                        sub,
                        item,
                        old,
                        -Math.round(old.get("unit_amount").asLong() * left),
                        "Unused time on " + productName(old) + " after "
                                + Instant.ofEpochSecond(now)
                                        .atZone(ZoneOffset.UTC)
                                        .toLocalDate(),
                        now,
                        end,
                        true));
                prorations.add(line(
                        sub,
                        item,
                        price,
                        Math.round(price.get("unit_amount").asLong() * left),
                        "Remaining time on " + productName(price) + " after "
                                + Instant.ofEpochSecond(now)
                                        .atZone(ZoneOffset.UTC)
                                        .toLocalDate(),
                        now,
                        end,
                        true));
            }
            if (behavior.equals("always_invoice") && !prorations.isEmpty()) {
                long balanceBefore = stripe.objects
                        .get(sub.get("customer").asText())
                        .get("balance")
                        .asLong();
                invoice = invoice(
                        sub,
                        prorations,
                        "subscription_update",
                        now,
                        item.get("current_period_end").asLong(),
                        now);
                if (invoice.get("amount_due").asLong() > 0) {
                    String failure = charge(sub, invoice, null, now);
                    if (failure != null && "error_if_incomplete".equals(p.get("payment_behavior"))) {
                        stripe.objects.remove(invoice.get("id").asText());
                        stripe.objects.get(sub.get("customer").asText()).put("balance", balanceBefore);
                        return declined(failure);
                    }
                    if (failure != null) {
                        previous.put("status", sub.get("status").asText());
                        sub.put("status", "past_due");
                    }
                }
                sub.put("latest_invoice", invoice.get("id").asText());
            } else if (!prorations.isEmpty()) {
                pending.computeIfAbsent(id, k -> new ArrayList<>()).addAll(prorations);
            }
            ObjectNode was = previous.putObject("items").put("object", "list");
            was.putArray("data").add(item.deepCopy());
            item.set("price", price.deepCopy());
        }
        if (p.containsKey("cancel_at_period_end")) {
            boolean cancel = "true".equals(p.get("cancel_at_period_end"));
            if (cancel != sub.get("cancel_at_period_end").asBoolean()) {
                previous.put(
                        "cancel_at_period_end", sub.get("cancel_at_period_end").asBoolean());
                sub.put("cancel_at_period_end", cancel);
                if (cancel) {
                    sub.put("cancel_at", item.get("current_period_end").asLong());
                } else {
                    sub.putNull("cancel_at");
                }
            }
        }
        if (p.containsKey("default_payment_method")) {
            sub.put("default_payment_method", p.get("default_payment_method"));
        }
        p.forEach((k, v) -> {
            if (k.startsWith("metadata[") && k.endsWith("]")) {
                ((ObjectNode) sub.get("metadata")).put(k.substring(9, k.length() - 1), v);
            }
        });
        stripe.send("customer.subscription.updated", sub, null, previous);
        if (invoice != null) {
            announce(invoice);
        }
        return FakeStores.Reply.of(200, sub);
    }

    // ---- invoices --------------------------------------------------------------------------------------------

    private FakeStores.Reply payNow(String id, Map<String, String> p) {
        ObjectNode invoice = stripe.objects.get(id);
        if (invoice == null || !"invoice".equals(invoice.path("object").asText())) {
            return missing("invoice", id);
        }
        if (!invoice.get("status").asText().equals("open")) {
            return FakeStripe.error(
                    400,
                    "invalid_request_error",
                    "invoice_not_open",
                    null,
                    "Invoice is already " + invoice.get("status").asText() + ".",
                    null);
        }
        ObjectNode sub = stripe.objects.get(subscriptionOf(invoice));
        long now = sub == null ? FakeStripe.now() : now(sub);
        String failure = charge(sub, invoice, p.get("payment_method"), now);
        announce(invoice);
        if (sub != null) {
            standing(sub);
        }
        return failure == null ? FakeStores.Reply.of(200, invoice) : declined(failure);
    }

    /**
     * A finalized invoice of the subscription for these lines, at {@code at}: credit on the customer's balance pays
     * what it can; a negative total becomes credit. Open until charged; paid at once when nothing is due.
     */
    private ObjectNode invoice(
            ObjectNode sub, List<ObjectNode> lines, String reason, long periodStart, long periodEnd, long at) {
        ObjectNode customer = stripe.objects.get(sub.get("customer").asText());
        long total = lines.stream().mapToLong(l -> l.get("amount").asLong()).sum();
        long balance = customer.get("balance").asLong();
        long due;
        if (total < 0) {
            due = 0;
            customer.put("balance", balance + total);
        } else {
            long credit = Math.min(-Math.min(0, balance), total);
            due = total - credit;
            customer.put("balance", balance + credit);
        }
        ObjectNode inv = stripe.create("in", "invoice")
                .put("created", at)
                .put("customer", customer.get("id").asText())
                .put("currency", sub.get("currency").asText())
                .put("status", "open")
                .put("subtotal", total)
                .put("total", total)
                .put("amount_due", due)
                .put("amount_paid", 0)
                .put("amount_remaining", due)
                .put("attempt_count", 0)
                .put("attempted", false)
                .put("billing_reason", reason)
                .put("period_start", periodStart)
                .put("period_end", periodEnd)
                .put("starting_balance", balance)
                .put("ending_balance", customer.get("balance").asLong())
                .put("number", "FAKE-" + (++invoiceNumber))
                .put("collection_method", "charge_automatically")
                .put("auto_advance", true)
                .putNull("next_payment_attempt")
                .put("test_clock", sub.path("test_clock").asText(null));
        String id = inv.get("id").asText();
        inv.put("hosted_invoice_url", "https://invoice.stripe.com/i/acct_fake/test_" + id)
                .put("invoice_pdf", "https://pay.stripe.com/invoice/acct_fake/test_" + id + "/pdf");
        inv.putObject("status_transitions").put("finalized_at", at).putNull("paid_at");
        ObjectNode list = inv.putObject("lines")
                .put("object", "list")
                .put("has_more", false)
                .put("url", "/v1/invoices/" + id + "/lines");
        ArrayNode data = list.putArray("data");
        lines.forEach(l -> data.add(l.put("invoice", id)));
        ObjectNode parent = inv.putObject("parent").put("type", "subscription_details");
        parent.putObject("subscription_details")
                .put("subscription", sub.get("id").asText())
                .set("metadata", sub.get("metadata").deepCopy());
        inv.putObject("metadata");
        inv.putObject("payments")
                .put("object", "list")
                .put("has_more", false)
                .put("url", "/v1/invoice_payments?invoice=" + id)
                .putArray("data");
        if (due == 0) {
            paid(inv, at);
        }
        return inv;
    }

    private ObjectNode line(
            ObjectNode sub,
            ObjectNode item,
            ObjectNode price,
            long amount,
            String description,
            long start,
            long end,
            boolean proration) {
        ObjectNode l = JSON.createObjectNode()
                .put("id", "il_" + FakeStripe.IDS.incrementAndGet())
                .put("object", "line_item")
                .put("amount", amount)
                .put("currency", price.get("currency").asText())
                .put("description", description)
                .put("quantity", 1);
        l.putObject("period").put("start", start).put("end", end);
        ObjectNode parent = l.putObject("parent").put("type", "subscription_item_details");
        parent.putObject("subscription_item_details")
                .put("subscription", sub.get("id").asText())
                .put("subscription_item", item.get("id").asText())
                .put("proration", proration)
                .putNull("invoice_item");
        ObjectNode pricing =
                l.putObject("pricing").put("type", "price_details").put("unit_amount_decimal", String.valueOf(amount));
        pricing.putObject("price_details")
                .put("price", price.get("id").asText())
                .put("product", price.get("product").asText());
        l.putObject("metadata");
        return l;
    }

    /**
     * Charges the invoice to {@code method}, else the subscription's default, else the customer's: null when it was
     * paid, else the decline. A failed attempt schedules the next one (or none, when the retries ran out).
     */
    private String charge(ObjectNode sub, ObjectNode invoice, String method, long at) {
        ObjectNode customer = stripe.objects.get(invoice.get("customer").asText());
        String pm = method != null
                ? method
                : sub != null && sub.hasNonNull("default_payment_method")
                        ? sub.get("default_payment_method").asText()
                        : customer.path("invoice_settings")
                                .path("default_payment_method")
                                .asText(null);
        int attempt = invoice.get("attempt_count").asInt() + 1;
        invoice.put("attempt_count", attempt).put("attempted", true);
        String failure = pm == null
                ? "This customer has no attached payment source or default payment method."
                : pm.startsWith("pm_card_chargeDeclined") ? "Your card was declined." : null;
        if (failure != null) {
            if (attempt <= RETRY_DAYS.length) {
                invoice.put("next_payment_attempt", at + RETRY_DAYS[attempt - 1] * 86_400);
            } else {
                invoice.putNull("next_payment_attempt");
            }
            return failure;
        }
        long amount = invoice.get("amount_due").asLong();
        String chargeId = "ch_" + FakeStripe.IDS.incrementAndGet();
        long fee = Math.round(amount * 0.029) + 30;
        ObjectNode charge = JSON.createObjectNode()
                .put("id", chargeId)
                .put("object", "charge")
                .put("amount", amount)
                .put("currency", invoice.get("currency").asText())
                .put("amount_refunded", 0)
                .put("paid", true)
                .put("status", "succeeded")
                .put("customer", customer.get("id").asText())
                .put("payment_method", pm)
                .put("description", "Subscription " + subscriptionOf(invoice))
                .put("created", FakeStripe.now());
        charge.put(
                "balance_transaction",
                stripe.balanceTransaction(
                        "charge", chargeId, amount, fee, invoice.get("currency").asText()));
        stripe.objects.put(chargeId, charge);
        stripe.available += amount - fee;
        paid(invoice, at);
        // The payment that paid it (Stripe lists these when asked with expand[]=payments).
        ((ArrayNode) invoice.get("payments").get("data"))
                .addObject()
                .put("id", "inpay_" + FakeStripe.IDS.incrementAndGet())
                .put("object", "invoice_payment")
                .put("amount_paid", amount)
                .put("currency", invoice.get("currency").asText())
                .put("invoice", invoice.get("id").asText())
                .put("is_default", true)
                .put("status", "paid")
                .putObject("payment")
                .put("type", "charge")
                .put("charge", chargeId);
        return null;
    }

    private static void paid(ObjectNode invoice, long at) {
        invoice.put("status", "paid")
                .put("amount_paid", invoice.get("amount_due").asLong())
                .put("amount_remaining", 0)
                .putNull("next_payment_attempt");
        ((ObjectNode) invoice.get("status_transitions")).put("paid_at", at);
    }

    /** The invoice's events, as Stripe sends them once it is finalized and once a payment was tried. */
    private void announce(ObjectNode invoice) {
        stripe.send("invoice.finalized", invoice, null);
        if (invoice.get("status").asText().equals("paid")) {
            stripe.send("invoice.paid", invoice, null);
            stripe.send("invoice.payment_succeeded", invoice, null);
        } else if (invoice.get("attempted").asBoolean()) {
            stripe.send("invoice.payment_failed", invoice, null);
        }
    }

    /** past_due while one of its invoices is unpaid, active again once none is. */
    private void standing(ObjectNode sub) {
        String status = sub.get("status").asText();
        if (!status.equals("active") && !status.equals("past_due") && !status.equals("incomplete")) {
            return;
        }
        boolean unpaid = stripe.objects.values().stream()
                .anyMatch(o -> "invoice".equals(o.path("object").asText())
                        && sub.get("id").asText().equals(subscriptionOf(o))
                        && o.get("status").asText().equals("open"));
        String now = unpaid ? "past_due" : "active";
        if (!now.equals(status)) {
            sub.put("status", now);
            stripe.send(
                    "customer.subscription.updated",
                    sub,
                    null,
                    JSON.createObjectNode().put("status", status));
        }
    }

    // ---- test clocks -----------------------------------------------------------------------------------------

    ObjectNode clock(long frozen, String name) {
        ObjectNode c = stripe.create("clock", "test_helpers.test_clock")
                .put("frozen_time", frozen)
                .put("name", name)
                .put("status", "ready")
                .put("deletes_after", FakeStripe.now() + 30 * 86_400);
        return c;
    }

    FakeStores.Reply advance(String clockId, long to) {
        ObjectNode clock = stripe.objects.get(clockId);
        if (clock == null
                || !"test_helpers.test_clock".equals(clock.path("object").asText())) {
            return missing("test_clock", clockId);
        }
        if (to <= clock.get("frozen_time").asLong()) {
            return FakeStripe.error(
                    400,
                    "invalid_request_error",
                    null,
                    null,
                    "The frozen_time must be after the test clock's" + " current frozen_time.",
                    "frozen_time");
        }
        while (true) {
            // The next thing due on this clock, in time order: a period's end or an invoice's retry.
            long next = Long.MAX_VALUE;
            ObjectNode subDue = null;
            ObjectNode invoiceDue = null;
            for (ObjectNode o : new ArrayList<>(stripe.objects.values())) {
                if (!clockId.equals(o.path("test_clock").asText(null))) {
                    continue;
                }
                if ("subscription".equals(o.path("object").asText())
                        && !o.get("status").asText().matches("canceled|incomplete")) {
                    long end = item(o).get("current_period_end").asLong();
                    if (end <= to && end < next) {
                        next = end;
                        subDue = o;
                        invoiceDue = null;
                    }
                }
                if ("invoice".equals(o.path("object").asText())
                        && o.get("status").asText().equals("open")
                        && o.hasNonNull("next_payment_attempt")) {
                    long at = o.get("next_payment_attempt").asLong();
                    if (at <= to && at < next) {
                        next = at;
                        invoiceDue = o;
                        subDue = null;
                    }
                }
            }
            if (subDue == null && invoiceDue == null) {
                break;
            }
            clock.put("frozen_time", next);
            if (subDue != null) {
                renew(subDue, next);
            } else {
                retry(invoiceDue, next);
            }
        }
        clock.put("frozen_time", to).put("status", "ready");
        return FakeStores.Reply.of(200, clock);
    }

    /** The period ended: cancelled if so set, else the next period begins and is invoiced and charged. */
    private void renew(ObjectNode sub, long at) {
        if (sub.get("cancel_at_period_end").asBoolean()) {
            end(sub, at);
            return;
        }
        ObjectNode item = item(sub);
        ObjectNode previous = JSON.createObjectNode();
        String status = sub.get("status").asText();
        if (status.equals("trialing")) {
            previous.put("status", status);
            sub.put("status", "active");
        }
        long end = plusMonth(at);
        previous.putObject("items").put("object", "list").putArray("data").add(item.deepCopy());
        item.put("current_period_start", at).put("current_period_end", end);
        List<ObjectNode> lines =
                new ArrayList<>(pending.getOrDefault(sub.get("id").asText(), List.of()));
        pending.remove(sub.get("id").asText());
        ObjectNode price = (ObjectNode) item.get("price");
        lines.add(
                line(sub, item, price, price.get("unit_amount").asLong(), "1 × " + productName(price), at, end, false));
        ObjectNode invoice = invoice(sub, lines, "subscription_cycle", at, end, at);
        sub.put("latest_invoice", invoice.get("id").asText());
        String failure = invoice.get("status").asText().equals("paid") ? null : charge(sub, invoice, null, at);
        if (failure != null) {
            if (!previous.has("status")) {
                previous.put("status", sub.get("status").asText());
            }
            sub.put("status", "past_due");
        }
        stripe.send("customer.subscription.updated", sub, null, previous);
        announce(invoice);
    }

    /** A failed invoice's next try; the last one failing cancels the subscription. */
    private void retry(ObjectNode invoice, long at) {
        ObjectNode sub = stripe.objects.get(subscriptionOf(invoice));
        String failure = charge(sub, invoice, null, at);
        announce(invoice);
        if (sub == null) {
            return;
        }
        if (failure != null && !invoice.hasNonNull("next_payment_attempt")) {
            end(sub, at);
        } else {
            standing(sub);
        }
    }

    private void end(ObjectNode sub, long at) {
        sub.put("status", "canceled").put("canceled_at", at).put("ended_at", at);
        stripe.send("customer.subscription.deleted", sub, null);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** The time an object lives in: its test clock's, or now. */
    private long now(ObjectNode o) {
        String clock = o.path("test_clock").asText(null);
        if (clock == null && o.hasNonNull("customer")) {
            ObjectNode c = stripe.objects.get(o.get("customer").asText());
            clock = c == null ? null : c.path("test_clock").asText(null);
        }
        ObjectNode c = clock == null ? null : stripe.objects.get(clock);
        return c == null ? FakeStripe.now() : c.get("frozen_time").asLong();
    }

    private static long plusMonth(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond)
                .atZone(ZoneOffset.UTC)
                .plusMonths(1)
                .toEpochSecond();
    }

    private static ObjectNode item(ObjectNode sub) {
        return (ObjectNode) sub.get("items").get("data").get(0);
    }

    private String productName(ObjectNode price) {
        ObjectNode product = stripe.objects.get(price.path("product").asText());
        return product == null ? "the plan" : product.get("name").asText();
    }

    private static String subscriptionOf(ObjectNode invoice) {
        return invoice.path("parent")
                .path("subscription_details")
                .path("subscription")
                .asText(null);
    }

    private static FakeStores.Reply declined(String message) {
        return FakeStores.Reply.of(
                402, FakeStripe.errorBody("card_error", "card_declined", "generic_decline", message, null));
    }

    private static FakeStores.Reply missing(String what, String id) {
        return FakeStripe.error(
                404, "invalid_request_error", "resource_missing", null, "No such " + what + ": '" + id + "'", "id");
    }
}
