package io.dropship.gateway.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.web.SealedSecrets;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Privacy requests: a store's customer asks to be erased or for their data, or a store that uninstalled the app is
 * purged (Shopify's customers/redact, customers/data_request and shop/redact; the API for other stores).
 *
 * <p>The gateway records the request, erases or exports its own copy of the customer's data (the webhook bodies it
 * keeps) in the same transaction, and publishes PrivacyRequested. order-service finds the customer's orders and does
 * its share, fulfillment-service does its share for the orders order-service found; each answers with
 * PrivacyRequestDone, which {@link PrivacyAnswers} collects until every service in
 * {@code dropship.privacy.services} has answered every part, and the request is COMPLETED.
 *
 * <p>Order amounts, invoices and payments are kept: bookkeeping law requires them, and they name no customer.
 */
@ApplicationScoped
public class PrivacyRequests {

    private static final Logger LOG = Logger.getLogger(PrivacyRequests.class);
    public static final String TOPIC = "PrivacyRequested";
    /** The most webhook deliveries an export lists; a customer with more is a store's bulk import, not a person. */
    static final int EXPORT_DELIVERIES = 500;

    public enum Kind {
        REDACT_CUSTOMER,
        EXPORT_CUSTOMER,
        REDACT_STORE
    }

    public record PrivacyRequested(
            UUID requestId,
            Kind kind,
            String retailerId,
            String storeId,
            String customerEmail,
            List<String> storeOrderIds,
            Instant requestedAt) {}

    /** Who asked, about whom: the store's customer by e-mail, by the store's order ids, or by Shopify's customer id. */
    public record Subject(String customerEmail, List<String> storeOrderIds, String storeCustomerId) {

        public Subject {
            customerEmail = customerEmail == null || customerEmail.isBlank()
                    ? null
                    : customerEmail.trim().toLowerCase(Locale.ROOT);
            storeOrderIds = storeOrderIds == null ? List.of() : List.copyOf(storeOrderIds);
            storeCustomerId = storeCustomerId == null || storeCustomerId.isBlank() ? null : storeCustomerId;
        }

        boolean namesOrdersOrEmail() {
            return customerEmail != null || !storeOrderIds.isEmpty();
        }
    }

    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final GatewayConfig config;
    private final SealedSecrets secrets;

    public PrivacyRequests(Outbox outbox, ObjectMapper mapper, GatewayConfig config, SealedSecrets secrets) {
        this.outbox = outbox;
        this.mapper = mapper;
        this.config = config;
        this.secrets = secrets;
    }

    /**
     * Records and starts a request in the caller's transaction and answers its id. A customer request that names
     * neither an e-mail nor an order can match nothing outside the gateway: it is completed here.
     */
    public Uni<UUID> start(
            Mutiny.Session s,
            Kind kind,
            String source,
            String retailerId,
            String storeId,
            Subject who,
            String shopifyRequest) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        boolean elsewhere = kind == Kind.REDACT_STORE || who.namesOrdersOrEmail();
        return ownShare(s, kind, storeId, who)
                .chain(own -> s.createNativeQuery("insert into privacy_request (id, kind,"
                                + " source, retailer_id, store_id, customer_email, store_order_ids, shopify_request, status,"
                                + " gateway_records, gateway_data, requested_at, completed_at) values (:id, :kind, :source,"
                                + " :retailer, :store, :email, cast(cast(:ids as text) as jsonb), :shopify, :status, :records,"
                                + " cast(cast(:data as text) as jsonb), :at, :completed)")
                        .setParameter("id", id)
                        .setParameter("kind", kind.name())
                        .setParameter("source", source)
                        .setParameter("retailer", retailerId)
                        .setParameter("store", storeId)
                        .setParameter(
                                "email",
                                elsewhere || kind == Kind.EXPORT_CUSTOMER
                                        ? who.customerEmail()
                                        : mask(who.customerEmail()))
                        .setParameter("ids", json(who.storeOrderIds()))
                        .setParameter("shopify", shopifyRequest)
                        .setParameter("status", elsewhere ? "IN_PROGRESS" : "COMPLETED")
                        .setParameter("records", own.records())
                        .setParameter(
                                "data", own.data() == null ? null : own.data().toString())
                        .setParameter("at", now.atOffset(ZoneOffset.UTC))
                        .setParameter("completed", elsewhere ? null : now.atOffset(ZoneOffset.UTC))
                        .executeUpdate())
                .chain(() -> !elsewhere
                        ? Uni.createFrom().voidItem()
                        : outbox.publish(
                                        s,
                                        TOPIC,
                                        id.toString(),
                                        new PrivacyRequested(
                                                id,
                                                kind,
                                                retailerId,
                                                storeId,
                                                who.customerEmail(),
                                                who.storeOrderIds(),
                                                now))
                                .replaceWithVoid())
                .invoke(() -> LOG.infof("privacy request %s: %s for store %s (%s)", id, kind, storeId, source))
                .replaceWith(id);
    }

    private record Share(int records, ArrayNode data) {}

    /**
     * The gateway's own copy of the customer's data is the bodies of the store's webhooks (the store's order, with the
     * customer in it). An erasure empties them, except a delivery still waiting to be processed (its order is still
     * being taken in); a store's purge empties every one and drops the store's Admin API credential.
     */
    private Uni<Share> ownShare(Mutiny.Session s, Kind kind, String storeId, Subject who) {
        String matches = " store_id = :store and body <> '{}'::jsonb and (resource_id in (select"
                + " jsonb_array_elements_text(cast(cast(:ids as text) as jsonb))) or lower(body ->> 'email') = cast(:email as text)"
                + " or lower(body #>> '{customer,email}') = cast(:email as text) or lower(body #>> '{billing,email}') = cast(:email as text)"
                + " or body #>> '{customer,id}' = cast(:customer as text))";
        return switch (kind) {
            case REDACT_STORE ->
                s.createNativeQuery("update webhook_delivery set body = '{}'::jsonb where store_id = :store"
                                + " and body <> '{}'::jsonb")
                        .setParameter("store", storeId)
                        .executeUpdate()
                        .call(() -> s.createNativeQuery(
                                        "update store_connection set api_token = :none, status = 'REDACTED',"
                                                + " updated_at = now() where id = :store")
                                .setParameter("none", secrets.box().seal(""))
                                .setParameter("store", storeId)
                                .executeUpdate())
                        .map(n -> new Share(n, null));
            case REDACT_CUSTOMER ->
                s.createNativeQuery("update webhook_delivery set body = '{}'::jsonb where outcome <> 'PENDING'" + " and"
                                + matches)
                        .setParameter("store", storeId)
                        .setParameter("ids", json(who.storeOrderIds()))
                        .setParameter("email", who.customerEmail())
                        .setParameter("customer", who.storeCustomerId())
                        .executeUpdate()
                        .map(n -> new Share(n, null));
            case EXPORT_CUSTOMER ->
                s.createNativeQuery(
                                "select cast(jsonb_build_object('topic', topic, 'storeOrderId',"
                                        + " resource_id, 'receivedAt', received_at, 'body', body) as text) from webhook_delivery where"
                                        + matches + " order by received_at, id limit " + EXPORT_DELIVERIES,
                                String.class)
                        .setParameter("store", storeId)
                        .setParameter("ids", json(who.storeOrderIds()))
                        .setParameter("email", who.customerEmail())
                        .setParameter("customer", who.storeCustomerId())
                        .getResultList()
                        .map(rows -> {
                            ArrayNode data = mapper.createArrayNode();
                            rows.forEach(row -> data.add(read(row)));
                            return new Share(rows.size(), data);
                        });
        };
    }

    /** Empties completed exports past their retention; answers how many. */
    public Uni<Integer> purgeExports(Mutiny.Session s) {
        OffsetDateTime before =
                OffsetDateTime.now(ZoneOffset.UTC).minus(config.privacy().exportRetention());
        return s.createNativeQuery(
                        "update privacy_request_part set data = null where data is not null and request_id in"
                                + " (select id from privacy_request where kind = 'EXPORT_CUSTOMER' and completed_at < :before)")
                .setParameter("before", before)
                .executeUpdate()
                .chain(() -> s.createNativeQuery(
                                "update privacy_request set gateway_data = null, data_purged_at = now(),"
                                        + " customer_email = null where kind = 'EXPORT_CUSTOMER' and completed_at < :before"
                                        + " and data_purged_at is null")
                        .setParameter("before", before)
                        .executeUpdate());
    }

    /** a***@example.com: enough for the retailer to recognise the request, not to contact the customer. */
    static String mask(String email) {
        if (email == null) {
            return null;
        }
        int at = email.indexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode read(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
