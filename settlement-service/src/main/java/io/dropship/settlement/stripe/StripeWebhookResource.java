package io.dropship.settlement.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import io.dropship.platform.web.ProblemException;
import io.dropship.settlement.domain.CurrencyUnits;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Stripe's webhook events, verified on the raw payload with the endpoint's signing secret (Stripe-Signature, 300 s
 * tolerance, stripe-java's Webhook.constructEvent), recorded once by event id and applied in the same transaction, so
 * a redelivery changes nothing and a failure is answered 500 for Stripe to deliver again. Stripe delivers for days and
 * in any order, so every effect is one that an older or repeated event cannot undo: account state is kept with the
 * event time it came from, refunded and reversed amounts only grow, a payment that succeeded stays succeeded.
 */
@Path("/webhooks/stripe")
@Tag(name = "Stripe webhooks")
@PermitAll
public class StripeWebhookResource {

    private static final Logger LOG = Logger.getLogger(StripeWebhookResource.class);
    private static final long TOLERANCE_SECONDS = 300;

    public record Received(String eventId, String type, boolean duplicate) {}

    private final Mutiny.SessionFactory sessions;
    private final StripeCalls stripeCalls;
    private final ObjectMapper json;
    private final String secret;
    private final io.dropship.settlement.service.Disputes disputes;
    private final io.dropship.settlement.billing.Subscriptions subscriptions;

    public StripeWebhookResource(
            Mutiny.SessionFactory sessions,
            StripeCalls stripeCalls,
            ObjectMapper json,
            @ConfigProperty(name = "dropship.stripe.webhook-secret") java.util.Optional<String> secret,
            io.dropship.settlement.service.Disputes disputes,
            io.dropship.settlement.billing.Subscriptions subscriptions) {
        this.disputes = disputes;
        this.subscriptions = subscriptions;
        this.sessions = sessions;
        this.stripeCalls = stripeCalls;
        this.json = json;
        // Optional so that a production start without it reaches ProductionGuard, which names it; with no secret
        // nothing verifies, so every event is refused.
        this.secret = secret.orElse("");
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stripe's events (set this URL and its signing secret in the Stripe dashboard)")
    public Uni<Received> receive(String payload, @HeaderParam("Stripe-Signature") String signature) {
        if (signature == null || signature.isBlank()) {
            throw ProblemException.badRequest("the Stripe-Signature header is missing");
        }
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, secret, TOLERANCE_SECONDS);
        } catch (SignatureVerificationException e) {
            throw ProblemException.badRequest("the Stripe-Signature does not match this payload or is older than "
                    + TOLERANCE_SECONDS + " s: " + e.getMessage());
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("the payload is not a Stripe event: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (Exception e) {
            throw ProblemException.badRequest("the payload is not JSON");
        }
        JsonNode object = root.path("data").path("object");
        if (event.getId() == null || event.getType() == null || !object.isObject()) {
            throw ProblemException.badRequest("a Stripe event has an id, a type and data.object");
        }
        OffsetDateTime created = Instant.ofEpochSecond(event.getCreated() == null ? 0 : event.getCreated())
                .atOffset(ZoneOffset.UTC);
        return sessions.withTransaction(s -> s.createNativeQuery(
                        "insert into stripe_event (id, type, created, received_at)"
                                + " values (:id, :type, :created, now()) on conflict (id) do nothing")
                .setParameter("id", event.getId())
                .setParameter("type", event.getType())
                .setParameter("created", created)
                .executeUpdate()
                .chain(inserted -> inserted == 0
                        ? Uni.createFrom().item(new Received(event.getId(), event.getType(), true))
                        : apply(
                                        s,
                                        event.getType(),
                                        created,
                                        root.path("account").asText(null),
                                        object)
                                .replaceWith(new Received(event.getId(), event.getType(), false))));
    }

    private Uni<Void> apply(Mutiny.Session s, String type, OffsetDateTime created, String account, JsonNode o) {
        LOG.debugf("Stripe %s %s", type, o.path("id").asText());
        return switch (type) {
            case "account.updated" -> accountUpdated(s, created, o);
            // A retailer's subscription: fetched again from Stripe, so an event late or out of order changes nothing.
            case "customer.subscription.created",
                    "customer.subscription.updated",
                    "customer.subscription.deleted",
                    "customer.subscription.paused",
                    "customer.subscription.resumed" ->
                o.path("metadata").hasNonNull("retailerId")
                        ? subscriptions.refresh(s, o.path("id").asText())
                        : none();
            case "invoice.finalized",
                    "invoice.paid",
                    "invoice.payment_failed",
                    "invoice.voided",
                    "invoice.marked_uncollectible" -> subscriptions.invoice(s, type, o);
            case "charge.dispute.created",
                    "charge.dispute.updated",
                    "charge.dispute.closed",
                    "charge.dispute.funds_withdrawn",
                    "charge.dispute.funds_reinstated" -> disputes.apply(s, created, o);
            case "payment_intent.succeeded" -> {
                UUID payment = uuid(o.path("metadata").path("paymentId").asText(null));
                yield payment == null
                        ? none()
                        : stripeCalls.succeeded(
                                s,
                                payment,
                                o.path("id").asText(),
                                o.path("latest_charge").asText(null));
            }
            case "payment_intent.payment_failed" -> {
                UUID payment = uuid(o.path("metadata").path("paymentId").asText(null));
                JsonNode error = o.path("last_payment_error");
                yield payment == null
                        ? none()
                        : s.createNativeQuery("update payment set last_error = :why,"
                                        + " decline_code = coalesce(:code, decline_code), updated_at = now()"
                                        + " where id = :p and status in ('DUE', 'ON_HOLD')")
                                .setParameter(
                                        "why",
                                        "Stripe: " + error.path("message").asText("the payment failed"))
                                .setParameter("code", error.path("decline_code").asText(null))
                                .setParameter("p", payment)
                                .executeUpdate()
                                .replaceWithVoid();
            }
            case "charge.refunded" ->
                s.createNativeQuery("update payment set refunded = greatest(refunded, :amount),"
                                + " updated_at = now() where charge_id = :ch")
                        .setParameter("amount", money(o, "amount_refunded"))
                        .setParameter("ch", o.path("id").asText())
                        .executeUpdate()
                        .replaceWithVoid();
            case "transfer.created" -> {
                // The stripeCalls settles a supplier order when its own call returns; if it never saw the answer (a
                // crash),
                // this makes it ask again now, and Stripe replays the transfer under the same idempotency key.
                UUID so = uuid(o.path("metadata").path("supplierOrderId").asText(null));
                yield so == null
                        ? none()
                        : s.createNativeQuery(
                                        "update supplier_order_account set money_next_at = now()"
                                                + " where supplier_order_id = :supplierOrderId and transfer_id is null and status = 'INVOICED'")
                                .setParameter("supplierOrderId", so)
                                .executeUpdate()
                                .replaceWithVoid();
            }
            case "transfer.reversed" ->
                s.createNativeQuery(
                                "update supplier_order_account set"
                                        + " transfer_reversed = greatest(transfer_reversed, :amount), updated_at = now() where transfer_id = :t")
                        .setParameter("amount", money(o, "amount_reversed"))
                        .setParameter("t", o.path("id").asText())
                        .executeUpdate()
                        .replaceWithVoid();
            case "payout.paid", "payout.failed" ->
                s.createNativeQuery("insert into payout (id, account_id, amount, currency, status,"
                                + " arrival_date, failure, event_created, updated_at)"
                                + " values (:id, :acct, :amount, :cur, :status, :arrival, :failure, :created, now())"
                                + " on conflict (id) do update set status = excluded.status, failure = excluded.failure,"
                                + " arrival_date = excluded.arrival_date, event_created = excluded.event_created, updated_at = now()"
                                + " where payout.event_created <= excluded.event_created")
                        .setParameter("id", o.path("id").asText())
                        .setParameter("acct", account == null ? "platform" : account)
                        .setParameter("amount", money(o, "amount"))
                        .setParameter("cur", o.path("currency").asText("usd").toUpperCase(java.util.Locale.ROOT))
                        .setParameter("status", o.path("status").asText(type.substring(7)))
                        .setParameter(
                                "arrival",
                                o.hasNonNull("arrival_date")
                                        ? LocalDate.ofInstant(
                                                Instant.ofEpochSecond(
                                                        o.get("arrival_date").asLong()),
                                                ZoneOffset.UTC)
                                        : null)
                        .setParameter("failure", o.path("failure_message").asText(null))
                        .setParameter("created", created)
                        .executeUpdate()
                        .replaceWithVoid();
            default -> none();
        };
    }

    /**
     * A connected account's state, applied only if no newer event was: ENABLED once Stripe lets the platform transfer
     * to it (the transfers capability active), RESTRICTED when Stripe wants more from the supplier, ONBOARDING before.
     * An account that becomes ENABLED wakes the transfers that were waiting for it.
     */
    private Uni<Void> accountUpdated(Mutiny.Session s, OffsetDateTime created, JsonNode a) {
        boolean payouts = a.path("payouts_enabled").asBoolean();
        boolean details = a.path("details_submitted").asBoolean();
        String transfers = a.path("capabilities").path("transfers").asText(null);
        boolean enabled = transfers != null ? "active".equals(transfers) : payouts;
        String status = enabled ? "ENABLED" : details ? "RESTRICTED" : "ONBOARDING";
        return s.createNativeQuery("update stripe_account set charges_enabled = :charges, payouts_enabled = :payouts,"
                        + " details_submitted = :details, status = :status, stripe_updated_at = :created, updated_at = now()"
                        + " where account_id = :id and (stripe_updated_at is null or stripe_updated_at <= :created)")
                .setParameter("charges", a.path("charges_enabled").asBoolean())
                .setParameter("payouts", payouts)
                .setParameter("details", details)
                .setParameter("status", status)
                .setParameter("created", created)
                .setParameter("id", a.path("id").asText())
                .executeUpdate()
                .chain(changed -> changed == 0 || !enabled
                        ? none()
                        : s.createNativeQuery(
                                        "update supplier_order_account set money_next_at = now() where status = 'INVOICED'"
                                                + " and shipped_at is not null"
                                                + " and transfer_id is null and supplier_id = (select supplier_id from stripe_account"
                                                + " where account_id = :id)")
                                .setParameter("id", a.path("id").asText())
                                .executeUpdate()
                                .replaceWithVoid());
    }

    private static Uni<Void> none() {
        return Uni.createFrom().voidItem();
    }

    /** An amount field of a Stripe object, from the minor units of the object's currency. */
    private static BigDecimal money(JsonNode object, String field) {
        return CurrencyUnits.fromMinor(
                object.path("currency").asText("usd"), object.path(field).asLong());
    }

    private static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
