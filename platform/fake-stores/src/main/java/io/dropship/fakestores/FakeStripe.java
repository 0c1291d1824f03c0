package io.dropship.fakestores;

import static io.dropship.fakestores.FakeStores.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's HTTP API as stripe-java speaks it, for the parts settlement uses: form-encoded requests (nested keys as
 * {@code metadata[order]}) with a secret key as bearer, Stripe's JSON objects back, and its error shape
 * ({@code {"error": {type, code, decline_code, message, param}}}) with its statuses (400, 401, 402, 404, 429).
 * <ul>
 *   <li>{@code Idempotency-Key}: a repeated key with the same parameters answers exactly as the first time (with
 *   {@code Idempotent-Replayed: true}) and changes nothing; with other parameters it is a 400 idempotency_error.</li>
 *   <li>Customers; PaymentIntents (confirmed off-session with a saved method; Stripe's test methods
 *   {@code pm_card_chargeDeclined} and {@code pm_card_chargeDeclinedInsufficientFunds} are declined with 402);
 *   refunds; connected accounts and account links; transfers with {@code source_transaction} and
 *   {@code transfer_group} (refused with balance_insufficient past the platform's available balance) and their
 *   reversals; balance transactions.</li>
 *   <li>Stripe Billing: products, prices, subscriptions with trials and proration, invoices, test clocks
 *   ({@link FakeStripeBilling}).</li>
 *   <li>Failures can be injected: the next request answers 429 (rate_limit) or any status.</li>
 *   <li>{@link #sign(String, String, long)} signs a webhook payload exactly as Stripe does.</li>
 * </ul>
 */
public final class FakeStripe {

    static final AtomicLong IDS = FakeStores.ids(100_000, 1_000);

    final String secretKey;
    final Map<String, ObjectNode> objects = new LinkedHashMap<>();
    /** Stripe Billing: products, prices, subscriptions, invoices and test clocks. */
    private final FakeStripeBilling billing = new FakeStripeBilling(this);

    private final Map<String, Object[]> idempotency = new LinkedHashMap<>();
    /** An injected failure, for the next request whose route contains {@code route} and carries {@code params} (any when null). */
    private record Failure(FakeStores.Reply reply, String route, Map<String, String> params) {
        boolean matches(String requestRoute, Map<String, String> requestParams) {
            return (route == null || requestRoute.contains(route))
                    && params.entrySet().stream().allMatch(p -> p.getValue().equals(requestParams.get(p.getKey())));
        }
    }

    private final ConcurrentLinkedDeque<Failure> failures = new ConcurrentLinkedDeque<>();
    private final List<ObjectNode> balanceTransactions = new ArrayList<>();
    /** The fake's exchange rates into the platform's US dollar balance. */
    static final Map<String, java.math.BigDecimal> USD_PER_UNIT = Map.of(
            "jpy",
            new java.math.BigDecimal("0.006634"),
            "eur",
            new java.math.BigDecimal("1.0812"),
            "gbp",
            new java.math.BigDecimal("1.2655"));

    private static final java.util.Set<String> ZERO_DECIMAL =
            java.util.Set.of("jpy", "krw", "vnd", "clp", "xof", "xaf");
    long available = 1_000_000_000L;
    private volatile String webhookUrl;
    private volatile String webhookSecret;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    /** Events the webhook endpoint answered with other than 2xx: see {@link #refusedWebhooks()}. */
    private final AtomicInteger refusedWebhooks = new AtomicInteger();

    FakeStripe(String secretKey) {
        this.secretKey = secretKey;
    }

    /** Where Stripe sends its events (a webhook endpoint), signed with this secret. */
    public FakeStripe webhookEndpoint(String url, String secret) {
        this.webhookUrl = url;
        this.webhookSecret = secret;
        return this;
    }

    /**
     * What happens when a supplier finishes the onboarding form on Stripe: the account can take transfers and be paid
     * out, and Stripe sends account.updated. Also {@code POST /v1/test_helpers/accounts/<id>/complete_onboarding}.
     */
    public synchronized ObjectNode completeOnboarding(String accountId) {
        ObjectNode a = objects.get(accountId);
        if (a == null) {
            return null;
        }
        a.put("charges_enabled", true).put("payouts_enabled", true).put("details_submitted", true);
        a.putObject("capabilities").put("transfers", "active").put("card_payments", "active");
        send("account.updated", a, null);
        return a.deepCopy();
    }

    /** Sends an event to the webhook endpoint as Stripe does, signed, after the current request. */
    void send(String type, ObjectNode object, String account) {
        send(type, object, account, null);
    }

    /** The same, with {@code data.previous_attributes} (what an *.updated event says changed). */
    void send(String type, ObjectNode object, String account, ObjectNode previous) {
        String url = webhookUrl;
        if (url == null) {
            return;
        }
        ObjectNode e = JSON.createObjectNode()
                .put("id", "evt_" + IDS.incrementAndGet())
                .put("object", "event")
                .put("api_version", "2026-07-29.dahlia")
                .put("created", now())
                .put("livemode", false)
                .put("pending_webhooks", 1)
                .put("type", type);
        if (account != null) {
            e.put("account", account);
        }
        e.putObject("data").set("object", object.deepCopy());
        if (previous != null) {
            ((ObjectNode) e.get("data")).set("previous_attributes", previous);
        }
        e.putObject("request").putNull("id").putNull("idempotency_key");
        String payload = e.toString();
        http.sendAsync(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .header("Content-Type", "application/json; charset=utf-8")
                                .header("Stripe-Signature", sign(webhookSecret, payload, now()))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(payload))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding())
                .thenAccept(answer -> {
                    if (answer.statusCode() >= 300) {
                        refusedWebhooks.incrementAndGet();
                    }
                });
    }

    /**
     * How many events the webhook endpoint answered with other than 2xx so far. Stripe retries those only much later
     * (an hour and more in live mode), so a test of events sent together can ask that none was refused.
     */
    public int refusedWebhooks() {
        return refusedWebhooks.get();
    }

    /** The next request answers with this status (429 is Stripe's rate_limit error). */
    public FakeStripe failNext(int status) {
        return failNextOn(null, Map.of(), status);
    }

    /**
     * The next request to a route containing {@code route} (payment_intents, transfers, reversals, customers) whose
     * parameters include {@code params} (such as metadata[supplierOrderId]) answers with this status; other requests,
     * the Stripe calls job's work for other tests say, pass meanwhile.
     */
    public FakeStripe failNextOn(String route, Map<String, String> params, int status) {
        failures.add(new Failure(
                status == 429
                        ? error(
                                429,
                                "invalid_request_error",
                                "rate_limit",
                                null,
                                "Too many requests hit the API too quickly.")
                        : error(status, "api_error", null, null, "An error occurred with our connection to Stripe."),
                route,
                params));
        return this;
    }

    /**
     * The next request to a route containing {@code route} whose parameters include {@code params} takes effect (and is
     * remembered under its idempotency key), but the connection closes before its answer.
     */
    public FakeStripe loseNextAnswerOn(String route, Map<String, String> params) {
        failures.add(new Failure(new FakeStores.Reply(FakeStores.LOSE_ANSWER, Map.of(), null), route, params));
        return this;
    }

    /**
     * The next request answers with this Stripe error, for example 400 invalid_request_error balance_insufficient
     * (a transfer reversal from a connected account whose balance was paid out).
     */
    public FakeStripe failNext(int status, String type, String code, String message) {
        return failNextOn(null, Map.of(), status, type, code, message);
    }

    /** As {@link #failNext(int, String, String, String)}, for the next request that matches (see {@link #failNextOn(String, Map, int)}). */
    public FakeStripe failNextOn(
            String route, Map<String, String> params, int status, String type, String code, String message) {
        failures.add(new Failure(error(status, type, code, null, message), route, params));
        return this;
    }

    /** The platform's available balance, in the smallest currency unit: transfers past it are refused. */
    public synchronized FakeStripe available(long amount) {
        this.available = amount;
        return this;
    }

    /**
     * Puts an existing customer on a test clock, as if it had been created with {@code test_clock} (Stripe takes a
     * clock only at creation; the platform creates its customers itself): its subscriptions then follow the clock.
     */
    public synchronized FakeStripe onClock(String customerId, String clockId) {
        ObjectNode c = objects.get(customerId);
        if (c == null || !objects.containsKey(clockId)) {
            throw new IllegalArgumentException("no customer " + customerId + " or clock " + clockId);
        }
        c.put("test_clock", clockId);
        return this;
    }

    /** A new test clock frozen at {@code frozenTime} (as {@code POST /v1/test_helpers/test_clocks}). */
    public synchronized ObjectNode testClock(java.time.Instant frozenTime) {
        return billing.clock(frozenTime.getEpochSecond(), "test").deepCopy();
    }

    /**
     * Moves a test clock forward (as {@code POST /v1/test_helpers/test_clocks/{id}/advance}): subscriptions of its
     * customers renew, end their trials, retry failed invoices and cancel at period end, in time order, with their events.
     */
    public synchronized ObjectNode advance(String clockId, java.time.Instant to) {
        FakeStores.Reply r = billing.advance(clockId, to.getEpochSecond());
        if (r.status() != 200) {
            throw new IllegalStateException("advance refused: " + r.body());
        }
        return ((ObjectNode) r.body()).deepCopy();
    }

    public synchronized ObjectNode object(String id) {
        ObjectNode o = objects.get(id);
        return o == null ? null : o.deepCopy();
    }

    public synchronized List<ObjectNode> objects(String type) {
        return objects.values().stream()
                .filter(o -> type.equals(o.path("object").asText()))
                .map(ObjectNode::deepCopy)
                .toList();
    }

    /** The Stripe-Signature header for a payload: {@code t=<time>,v1=<HMAC-SHA256 of "t.payload">}. */
    public static String sign(String webhookSecret, String payload, long epochSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] v1 = mac.doFinal((epochSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(v1);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized FakeStores.Reply api(
            String method, String route, String authorization, String idempotencyKey, String body) {
        if (authorization == null || !authorization.equals("Bearer " + secretKey)) {
            return error(401, "invalid_request_error", null, null, "Invalid API Key provided: " + mask(authorization));
        }
        Map<String, String> params = form(body);
        Failure injected = failures.stream()
                .filter(f -> f.matches(route, params))
                .findFirst()
                .orElse(null);
        boolean taken = injected != null && failures.remove(injected);
        if (taken && injected.reply().status() == FakeStores.LOSE_ANSWER) {
            return answer(method, route, idempotencyKey, params, null).lose();
        }
        return answer(method, route, idempotencyKey, params, taken ? injected.reply() : null);
    }

    private FakeStores.Reply answer(
            String method, String route, String idempotencyKey, Map<String, String> params, FakeStores.Reply failure) {
        if (failure != null) {
            // As Stripe: a request refused once it ran (a 4xx other than 429) is the answer for its idempotency key.
            if (method.equals("POST")
                    && idempotencyKey != null
                    && failure.status() != 429
                    && failure.status() < 500
                    && !idempotency.containsKey(idempotencyKey)) {
                idempotency.put(
                        idempotencyKey, new Object[] {method + " " + route + " " + new TreeMap<>(params), failure});
            }
            return failure;
        }
        if (method.equals("POST") && idempotencyKey != null) {
            Object[] seen = idempotency.get(idempotencyKey);
            String signature = method + " " + route + " " + new TreeMap<>(params);
            if (seen != null) {
                if (!seen[0].equals(signature)) {
                    return error(
                            400,
                            "idempotency_error",
                            null,
                            null,
                            "Keys for idempotent requests can only be used with the"
                                    + " same parameters they were first used with. Try using a key other than '"
                                    + idempotencyKey
                                    + "' if you meant to execute a different request.");
                }
                FakeStores.Reply first = (FakeStores.Reply) seen[1];
                Map<String, String> headers = new LinkedHashMap<>(first.headers());
                headers.put("Idempotent-Replayed", "true");
                return new FakeStores.Reply(first.status(), headers, first.body());
            }
            FakeStores.Reply reply = post(route, params);
            if (reply.status() != 429 && reply.status() < 500) {
                idempotency.put(idempotencyKey, new Object[] {signature, reply});
            }
            return reply;
        }
        if (method.equals("POST")) {
            return post(route, params);
        }
        if (method.equals("GET")) {
            return get(route);
        }
        if (method.equals("DELETE")) {
            FakeStores.Reply deleted = billing.delete(route.split("/"), params);
            if (deleted != null) {
                return deleted;
            }
        }
        return error(
                404, "invalid_request_error", null, null, "Unrecognized request URL (" + method + ": /" + route + ").");
    }

    private FakeStores.Reply post(String route, Map<String, String> p) {
        String[] parts = route.split("/");
        FakeStores.Reply billed = billing.post(parts, p);
        if (billed != null) {
            return billed;
        }
        switch (parts[0]) {
            case "customers" -> {
                if (parts.length == 2) {
                    ObjectNode c = objects.get(parts[1]);
                    if (c == null) {
                        return error(
                                404,
                                "invalid_request_error",
                                "resource_missing",
                                null,
                                "No such customer: '" + parts[1] + "'",
                                "id");
                    }
                    if (p.containsKey("email")) {
                        c.put("email", p.get("email"));
                    }
                    if (p.containsKey("invoice_settings[default_payment_method]")) {
                        ((ObjectNode) c.get("invoice_settings"))
                                .put("default_payment_method", p.get("invoice_settings[default_payment_method]"));
                    }
                    return FakeStores.Reply.of(200, c);
                }
                ObjectNode c = create("cus", "customer")
                        .put("email", p.get("email"))
                        .put("name", p.get("name"))
                        .put("balance", 0)
                        .put("test_clock", p.get("test_clock"));
                c.putObject("invoice_settings")
                        .put("default_payment_method", p.get("invoice_settings[default_payment_method]"));
                metadata(c, p);
                return FakeStores.Reply.of(200, c);
            }
            case "accounts" -> {
                ObjectNode a = create("acct", "account")
                        .put("type", p.getOrDefault("type", "express"))
                        .put("email", p.get("email"))
                        .put("charges_enabled", false)
                        .put("payouts_enabled", false)
                        .put("details_submitted", false);
                metadata(a, p);
                return FakeStores.Reply.of(200, a);
            }
            case "account_links" -> {
                if (!objects.containsKey(p.getOrDefault("account", ""))) {
                    return error(
                            400,
                            "invalid_request_error",
                            "resource_missing",
                            null,
                            "No such account: '" + p.get("account") + "'");
                }
                ObjectNode link = JSON.createObjectNode()
                        .put("object", "account_link")
                        .put(
                                "url",
                                "https://connect.stripe.com/setup/e/" + p.get("account") + "/" + IDS.incrementAndGet())
                        .put("created", now())
                        .put("expires_at", now() + 300);
                return FakeStores.Reply.of(200, link);
            }
            case "payment_intents" -> {
                return parts.length == 1
                        ? paymentIntent(p)
                        : error(404, "invalid_request_error", null, null, "Unrecognized request URL");
            }
            case "refunds" -> {
                return refund(p);
            }
            case "disputes" -> {
                return parts.length == 2
                        ? updateDispute(parts[1], p)
                        : error(
                                404,
                                "invalid_request_error",
                                null,
                                null,
                                "Unrecognized request URL (POST: /v1/" + route + ").");
            }
            case "test_helpers" -> {
                if (parts.length == 4 && parts[1].equals("accounts") && parts[3].equals("complete_onboarding")) {
                    ObjectNode a = completeOnboarding(parts[2]);
                    return a == null
                            ? error(
                                    404,
                                    "invalid_request_error",
                                    "resource_missing",
                                    null,
                                    "No such account: '" + parts[2] + "'",
                                    "id")
                            : FakeStores.Reply.of(200, a);
                }
                return error(
                        404,
                        "invalid_request_error",
                        null,
                        null,
                        "Unrecognized request URL (POST: /v1/" + route + ").");
            }
            case "transfers" -> {
                if (parts.length == 3 && parts[2].equals("reversals")) {
                    return reversal(parts[1], p);
                }
                return transfer(p);
            }
            default -> {
                return error(
                        404,
                        "invalid_request_error",
                        null,
                        null,
                        "Unrecognized request URL (POST: /v1/" + route + ").");
            }
        }
    }

    private FakeStores.Reply paymentIntent(Map<String, String> p) {
        Long amount = amount(p.get("amount"));
        if (amount == null || amount < 50) {
            return error(
                    400,
                    "invalid_request_error",
                    "amount_too_small",
                    null,
                    "Amount must be at least 50 cents",
                    "amount");
        }
        String customer = p.get("customer");
        if (customer != null && !objects.containsKey(customer)) {
            return error(
                    400,
                    "invalid_request_error",
                    "resource_missing",
                    null,
                    "No such customer: '" + customer + "'",
                    "customer");
        }
        String method = p.get("payment_method");
        ObjectNode pi = create("pi", "payment_intent")
                .put("amount", amount)
                .put("currency", p.getOrDefault("currency", "usd"))
                .put("customer", customer)
                .put("payment_method", method)
                .put("transfer_group", p.get("transfer_group"))
                .put("amount_received", 0);
        metadata(pi, p);
        if (!"true".equals(p.get("confirm"))) {
            pi.put("status", "requires_confirmation");
            return FakeStores.Reply.of(200, pi);
        }
        if (method == null) {
            return error(
                    400,
                    "invalid_request_error",
                    "parameter_missing",
                    null,
                    "You must provide a payment method.",
                    "payment_method");
        }
        if (method.startsWith("pm_card_chargeDeclined")) {
            String decline = method.endsWith("InsufficientFunds") ? "insufficient_funds" : "generic_decline";
            pi.put("status", "requires_payment_method");
            pi.putObject("last_payment_error")
                    .put("type", "card_error")
                    .put("code", "card_declined")
                    .put("decline_code", decline);
            ObjectNode err = errorBody("card_error", "card_declined", decline, "Your card was declined.", null);
            ((ObjectNode) err.get("error")).set("payment_intent", pi);
            return FakeStores.Reply.of(402, err);
        }
        String chargeId = "ch_" + IDS.incrementAndGet();
        ObjectNode charge = JSON.createObjectNode()
                .put("id", chargeId)
                .put("object", "charge")
                .put("amount", amount)
                .put("currency", pi.get("currency").asText())
                .put("amount_refunded", 0)
                .put("payment_intent", pi.get("id").asText())
                .put("paid", true)
                .put("status", "succeeded")
                .put("transfer_group", p.get("transfer_group"))
                .put("created", now());
        String txn = balanceTransaction(
                "charge",
                chargeId,
                amount,
                Math.round(amount * 0.029) + 30,
                pi.get("currency").asText());
        charge.put("balance_transaction", txn);
        objects.put(chargeId, charge);
        pi.put("status", "succeeded").put("amount_received", amount).put("latest_charge", chargeId);
        objects.put(pi.get("id").asText(), pi);
        available += amount - (Math.round(amount * 0.029) + 30);
        send("payment_intent.succeeded", pi, null);
        if (method.equals("pm_card_createDispute")) {
            // Stripe's test card: the charge succeeds, then the cardholder disputes it.
            dispute(chargeId, "fraudulent");
        }
        return FakeStores.Reply.of(200, pi);
    }

    /** The fee Stripe takes for a dispute, in cents; given back when the dispute is won. */
    public static final long DISPUTE_FEE = 1500;

    /**
     * The cardholder disputes the charge, as Stripe's {@code pm_card_createDispute} does: the disputed amount and the
     * dispute fee leave the balance, the dispute needs a response within 7 days, and charge.dispute.created is sent.
     */
    public synchronized ObjectNode dispute(String chargeId, String reason) {
        ObjectNode charge = objects.get(chargeId);
        if (charge == null) {
            return null;
        }
        long amount = charge.get("amount").asLong();
        ObjectNode d = create("dp", "dispute")
                .put("amount", amount)
                .put("currency", charge.path("currency").asText("usd"))
                .put("charge", chargeId)
                .put("payment_intent", charge.path("payment_intent").asText(null))
                .put("reason", reason)
                .put("status", "needs_response")
                .put("is_charge_refundable", false);
        d.putObject("evidence");
        d.putObject("evidence_details")
                .put("due_by", now() + 7 * 86400)
                .put("has_evidence", false)
                .put("past_due", false)
                .put("submission_count", 0);
        d.putObject("metadata");
        d.putArray("balance_transactions")
                .add(balanceTransactionObject(balanceTransaction(
                        "adjustment",
                        "dispute",
                        d.get("id").asText(),
                        -amount,
                        DISPUTE_FEE,
                        d.get("currency").asText())));
        charge.put("disputed", true);
        available -= amount + DISPUTE_FEE;
        send("charge.dispute.created", d, null);
        return d.deepCopy();
    }

    /** A dispute lists its balance transactions whole, as Stripe does (not expandable ids). */
    private ObjectNode balanceTransactionObject(String id) {
        return balanceTransactions.stream()
                .filter(t -> id.equals(t.get("id").asText()))
                .findFirst()
                .orElseThrow()
                .deepCopy();
    }

    /** The card network decides: won (the amount and fee come back) or lost; charge.dispute.closed is sent. */
    public synchronized ObjectNode closeDispute(String disputeId, boolean won) {
        ObjectNode d = objects.get(disputeId);
        if (d == null || d.get("status").asText().matches("won|lost")) {
            return d;
        }
        d.put("status", won ? "won" : "lost");
        if (won) {
            // The reinstatement: the amount back, and the fee given back as a negative fee.
            long back = d.get("amount").asLong();
            ((com.fasterxml.jackson.databind.node.ArrayNode) d.get("balance_transactions"))
                    .add(balanceTransactionObject(balanceTransaction(
                            "adjustment",
                            "dispute_reversal",
                            disputeId,
                            back,
                            -DISPUTE_FEE,
                            d.get("currency").asText())));
            available += back + DISPUTE_FEE;
        }
        send("charge.dispute.closed", d, null);
        return d.deepCopy();
    }

    /**
     * {@code POST /v1/disputes/{id}}: evidence ({@code evidence[...]}) and {@code submit}. Submitted evidence puts the
     * dispute under review (charge.dispute.updated); as in Stripe's test mode, {@code uncategorized_text} of
     * {@code winning_evidence} or {@code losing_evidence} closes it won or lost. A closed dispute takes no evidence.
     */
    private FakeStores.Reply updateDispute(String id, Map<String, String> p) {
        ObjectNode d = objects.get(id);
        if (d == null || !"dispute".equals(d.path("object").asText())) {
            return error(404, "invalid_request_error", "resource_missing", null, "No such dispute: '" + id + "'", "id");
        }
        if (d.get("status").asText().matches("won|lost|warning_closed")) {
            return error(400, "invalid_request_error", null, null, "This dispute is already closed", "evidence");
        }
        ObjectNode evidence = (ObjectNode) d.get("evidence");
        p.forEach((k, v) -> {
            if (k.startsWith("evidence[") && k.endsWith("]")) {
                evidence.put(k.substring(9, k.length() - 1), v);
            }
        });
        metadata(d, p);
        if ("true".equals(p.get("submit"))) {
            ObjectNode details = (ObjectNode) d.get("evidence_details");
            details.put("has_evidence", true)
                    .put("submission_count", details.get("submission_count").asInt() + 1);
            d.put("status", "under_review");
            send("charge.dispute.updated", d, null);
            String text = evidence.path("uncategorized_text").asText("");
            if (text.equals("winning_evidence") || text.equals("losing_evidence")) {
                closeDispute(id, text.equals("winning_evidence"));
            }
        }
        return FakeStores.Reply.of(200, d);
    }

    private FakeStores.Reply refund(Map<String, String> p) {
        String chargeId = p.get("charge");
        if (chargeId == null && p.get("payment_intent") != null) {
            ObjectNode pi = objects.get(p.get("payment_intent"));
            chargeId = pi == null ? null : pi.path("latest_charge").asText(null);
        }
        ObjectNode charge = chargeId == null ? null : objects.get(chargeId);
        if (charge == null) {
            return error(
                    400,
                    "invalid_request_error",
                    "resource_missing",
                    null,
                    "No such charge or payment_intent",
                    "charge");
        }
        long left =
                charge.get("amount").asLong() - charge.get("amount_refunded").asLong();
        Long amount = p.containsKey("amount") ? amount(p.get("amount")) : Long.valueOf(left);
        if (amount == null || amount <= 0 || amount > left) {
            return error(
                    400,
                    "invalid_request_error",
                    "amount_too_large",
                    null,
                    "Refund amount ($" + amount + ") is greater than" + " unrefunded amount on charge ($" + left + ")",
                    "amount");
        }
        charge.put("amount_refunded", charge.get("amount_refunded").asLong() + amount)
                .put("refunded", amount == left);
        ObjectNode refund = create("re", "refund")
                .put("amount", amount)
                .put("charge", chargeId)
                .put("payment_intent", charge.get("payment_intent").asText())
                .put("status", "succeeded")
                .put("reason", p.get("reason"));
        refund.put(
                "balance_transaction",
                balanceTransaction(
                        "refund",
                        refund.get("id").asText(),
                        -amount,
                        0,
                        charge.path("currency").asText("usd")));
        metadata(refund, p);
        available -= amount;
        return FakeStores.Reply.of(200, refund);
    }

    private FakeStores.Reply transfer(Map<String, String> p) {
        Long amount = amount(p.get("amount"));
        if (amount == null || amount <= 0) {
            return error(
                    400,
                    "invalid_request_error",
                    "parameter_invalid_integer",
                    null,
                    "Invalid positive integer",
                    "amount");
        }
        String destination = p.get("destination");
        if (destination == null || !objects.containsKey(destination)) {
            return error(
                    400,
                    "invalid_request_error",
                    "resource_missing",
                    null,
                    "No such destination: '" + destination + "'",
                    "destination");
        }
        String source = p.get("source_transaction");
        if (source != null && !objects.containsKey(source)) {
            return error(
                    400,
                    "invalid_request_error",
                    "resource_missing",
                    null,
                    "No such charge: '" + source + "'",
                    "source_transaction");
        }
        if (source == null && amount > available) {
            return error(
                    400,
                    "invalid_request_error",
                    "balance_insufficient",
                    null,
                    "You have insufficient available funds in"
                            + " your Stripe account. Try adding funds directly to your available balance by creating Top-ups.");
        }
        ObjectNode t = create("tr", "transfer")
                .put("amount", amount)
                .put("currency", p.getOrDefault("currency", "usd"))
                .put("destination", destination)
                .put("source_transaction", source)
                .put("transfer_group", p.get("transfer_group"))
                .put("amount_reversed", 0)
                .put("reversed", false);
        t.put(
                "balance_transaction",
                balanceTransaction(
                        "transfer",
                        t.get("id").asText(),
                        -amount,
                        0,
                        t.get("currency").asText()));
        metadata(t, p);
        available -= amount;
        return FakeStores.Reply.of(200, t);
    }

    private FakeStores.Reply reversal(String transferId, Map<String, String> p) {
        ObjectNode t = objects.get(transferId);
        if (t == null) {
            return error(
                    404,
                    "invalid_request_error",
                    "resource_missing",
                    null,
                    "No such transfer: '" + transferId + "'",
                    "id");
        }
        long left = t.get("amount").asLong() - t.get("amount_reversed").asLong();
        Long amount = p.containsKey("amount") ? amount(p.get("amount")) : Long.valueOf(left);
        if (amount == null || amount <= 0 || amount > left) {
            return error(
                    400,
                    "invalid_request_error",
                    null,
                    null,
                    "The reversal amount exceeds what is left of the transfer",
                    "amount");
        }
        t.put("amount_reversed", t.get("amount_reversed").asLong() + amount).put("reversed", amount == left);
        ObjectNode r = create("trr", "transfer_reversal").put("amount", amount).put("transfer", transferId);
        r.put(
                "balance_transaction",
                balanceTransaction(
                        "transfer_cancel",
                        r.get("id").asText(),
                        amount,
                        0,
                        t.path("currency").asText("usd")));
        metadata(r, p);
        available += amount;
        return FakeStores.Reply.of(200, r);
    }

    private FakeStores.Reply get(String route) {
        int q = route.indexOf('?');
        Map<String, String> query = q < 0 ? Map.of() : form(route.substring(q + 1));
        route = q < 0 ? route : route.substring(0, q);
        FakeStores.Reply billed = billing.get(route, query);
        if (billed != null) {
            return billed;
        }
        if (route.equals("balance_transactions")) {
            // created[gte] / created[lt] as Stripe filters them.
            long gte = Long.parseLong(query.getOrDefault("created[gte]", "0"));
            long lt = Long.parseLong(query.getOrDefault("created[lt]", String.valueOf(Long.MAX_VALUE)));
            return page(
                    route,
                    balanceTransactions.stream()
                            .filter(t -> t.get("created").asLong() >= gte
                                    && t.get("created").asLong() < lt)
                            .toList(),
                    query);
        }
        if (route.equals("payment_intents") || route.equals("transfers") || route.equals("refunds")) {
            // Filtered by the fields Stripe's list calls filter these by.
            String type = route.equals("payment_intents") ? "payment_intent" : route.substring(0, route.length() - 1);
            Map<String, String> filters = new LinkedHashMap<>();
            for (String field : List.of("customer", "transfer_group", "destination", "payment_intent", "charge")) {
                if (query.containsKey(field)) {
                    filters.put(field, query.get(field));
                }
            }
            return page(
                    route,
                    objects.values().stream()
                            .filter(o -> type.equals(o.path("object").asText()))
                            .filter(o -> filters.entrySet().stream()
                                    .allMatch(f -> f.getValue()
                                            .equals(o.path(f.getKey()).asText())))
                            .toList(),
                    query);
        }
        String id = route.substring(route.lastIndexOf('/') + 1);
        ObjectNode o = objects.get(id);
        return o == null
                ? error(404, "invalid_request_error", "resource_missing", null, "No such object: '" + id + "'", "id")
                : FakeStores.Reply.of(200, o);
    }

    /**
     * One page of a list, newest first, as Stripe pages it: {@code limit} (10 by default, at most 100),
     * {@code starting_after} an id of the page before, {@code has_more} when more follow.
     */
    static FakeStores.Reply page(String route, List<ObjectNode> oldestFirst, Map<String, String> query) {
        List<ObjectNode> newestFirst = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newestFirst);
        int limit = Math.max(1, Math.min(100, Integer.parseInt(query.getOrDefault("limit", "10"))));
        int from = 0;
        String after = query.get("starting_after");
        if (after != null) {
            for (int i = 0; i < newestFirst.size(); i++) {
                if (newestFirst.get(i).get("id").asText().equals(after)) {
                    from = i + 1;
                    break;
                }
            }
        }
        int to = Math.min(newestFirst.size(), from + limit);
        ObjectNode list = JSON.createObjectNode()
                .put("object", "list")
                .put("url", "/v1/" + route)
                .put("has_more", to < newestFirst.size());
        var data = list.putArray("data");
        newestFirst.subList(from, to).forEach(data::add);
        return FakeStores.Reply.of(200, list);
    }

    /**
     * What the platform's (US dollar) balance gets for a movement in any currency: as Stripe does, a movement in another
     * currency is converted at the day's rate, which the balance transaction names ({@link #USD_PER_UNIT}).
     */
    String balanceTransaction(String type, String source, long amount, long fee, String currency) {
        return balanceTransaction(
                type,
                switch (type) {
                    case "transfer_cancel" -> "transfer_reversal";
                    default -> type;
                },
                source,
                amount,
                fee,
                currency);
    }

    /**
     * reportingCategory as Stripe names it (charge, refund, transfer, transfer_reversal, dispute, dispute_reversal). A
     * dispute's fee is Stripe's flat fee in the balance's currency; a charge's is its processing fee at the day's rate.
     */
    private String balanceTransaction(
            String type, String reportingCategory, String source, long amount, long fee, String currency) {
        String c = currency == null ? "usd" : currency.toLowerCase(java.util.Locale.ROOT);
        java.math.BigDecimal rate = c.equals("usd") ? null : USD_PER_UNIT.getOrDefault(c, java.math.BigDecimal.ONE);
        long inUsd = rate == null
                ? amount
                : java.math.BigDecimal.valueOf(amount)
                        .movePointLeft(ZERO_DECIMAL.contains(c) ? 0 : 2)
                        .multiply(rate)
                        .movePointRight(2)
                        .setScale(0, java.math.RoundingMode.HALF_EVEN)
                        .longValueExact();
        long feeInUsd = rate == null || fee == 0 || !type.equals("charge") ? fee : Math.round(inUsd * 0.029) + 30;
        ObjectNode t = JSON.createObjectNode()
                .put("id", "txn_" + IDS.incrementAndGet())
                .put("object", "balance_transaction")
                .put("amount", inUsd)
                .put("fee", feeInUsd)
                .put("net", inUsd - feeInUsd)
                .put("currency", "usd")
                .put("type", type)
                .put("reporting_category", reportingCategory)
                .put("source", source)
                .put("created", now())
                .put("status", "available");
        if (rate != null) {
            t.put("exchange_rate", rate);
        }
        balanceTransactions.add(t);
        return t.get("id").asText();
    }

    ObjectNode create(String prefix, String type) {
        ObjectNode o = JSON.createObjectNode()
                .put("id", prefix + "_" + IDS.incrementAndGet())
                .put("object", type)
                .put("created", now())
                .put("livemode", false);
        objects.put(o.get("id").asText(), o);
        return o;
    }

    static void metadata(ObjectNode o, Map<String, String> p) {
        ObjectNode m = o.putObject("metadata");
        p.forEach((k, v) -> {
            if (k.startsWith("metadata[") && k.endsWith("]")) {
                m.put(k.substring(9, k.length() - 1), v);
            }
        });
    }

    static Long amount(String s) {
        try {
            return s == null ? null : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isBlank()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static String mask(String authorization) {
        return authorization == null
                ? "none"
                : authorization.length() > 14 ? authorization.substring(7, 14) + "***" : "***";
    }

    static FakeStores.Reply error(int status, String type, String code, String decline, String message) {
        return error(status, type, code, decline, message, null);
    }

    static FakeStores.Reply error(int status, String type, String code, String decline, String message, String param) {
        return FakeStores.Reply.of(status, errorBody(type, code, decline, message, param));
    }

    static ObjectNode errorBody(String type, String code, String decline, String message, String param) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode e = body.putObject("error").put("type", type).put("message", message);
        if (code != null) {
            e.put("code", code);
        }
        if (decline != null) {
            e.put("decline_code", decline);
        }
        if (param != null) {
            e.put("param", param);
        }
        return body;
    }
}
