package io.dropship.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.gateway.domain.StorePlatform;
import io.dropship.gateway.domain.WebhookSignature;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.gateway.service.StoreConnections;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Store webhooks. Each is verified on its raw bytes before anything else: an unknown store or a bad
 * signature is a 401 and nothing is stored; a body that is not JSON is a 400.
 */
@Path("/webhooks")
@Tag(name = "Store webhooks")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class StoreWebhookResource {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(StoreWebhookResource.class);
    static final String NOT_VERIFIED = "the webhook could not be verified as coming from a connected store";
    /** Stands in for a secret when the store is unknown, so that case costs the same HMAC as a bad signature. */
    private static final String UNKNOWN_STORE_SECRET =
            java.util.UUID.randomUUID().toString();

    private final StoreConnections stores;
    private final WebhookIntake intake;
    private final ObjectMapper mapper;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    public StoreWebhookResource(
            StoreConnections stores,
            WebhookIntake intake,
            ObjectMapper mapper,
            io.micrometer.core.instrument.MeterRegistry meters) {
        this.stores = stores;
        this.intake = intake;
        this.mapper = mapper;
        this.meters = meters;
    }

    /**
     * Webhooks in, by platform, topic and what became of them (the intake's outcome, or refused when unsigned or
     * malformed). A refused delivery's topic is not counted as given: anyone can send any header.
     */
    private Uni<RestResponse<WebhookIntake.Outcome>> counted(
            StorePlatform platform, String topic, Uni<RestResponse<WebhookIntake.Outcome>> answer) {
        return answer.invoke(r -> meters.counter(
                                "dropship.webhooks.received",
                                "platform",
                                platform.name(),
                                "topic",
                                topic == null ? "-" : topic,
                                "outcome",
                                r.getEntity().outcome().toLowerCase())
                        .increment())
                .onFailure()
                .invoke(e -> meters.counter(
                                "dropship.webhooks.received",
                                "platform",
                                platform.name(),
                                "topic",
                                "-",
                                "outcome",
                                "refused")
                        .increment());
    }

    @POST
    @Path("shopify")
    @Operation(
            summary =
                    "Shopify webhooks: orders/create, orders/paid, orders/cancelled, app/uninstalled and the privacy topics")
    public Uni<RestResponse<WebhookIntake.Outcome>> shopify(
            byte[] body,
            @HeaderParam("X-Shopify-Hmac-Sha256") String hmac,
            @HeaderParam("X-Shopify-Shop-Domain") String shop,
            @HeaderParam("X-Shopify-Topic") String topic,
            @HeaderParam("X-Shopify-Webhook-Id") String webhookId,
            @HeaderParam("X-Shopify-Event-Id") String eventId,
            @HeaderParam("X-Shopify-Triggered-At") String triggeredAt) {
        return counted(
                StorePlatform.SHOPIFY,
                topic,
                verified(StorePlatform.SHOPIFY, shop, body, hmac).chain(store -> {
                    JsonNode json = parse(body);
                    String key = eventId != null && !eventId.isBlank()
                            ? "event:" + topic + ":" + eventId
                            : webhookId != null && !webhookId.isBlank()
                                    ? "webhook:" + webhookId
                                    : "body:" + sha256(body);
                    Instant stateAt = instant(triggeredAt) != null
                            ? instant(triggeredAt)
                            : instant(json.path("updated_at").asText(null));
                    return intake.take(new WebhookIntake.Delivery(
                                    store,
                                    required(topic, "X-Shopify-Topic"),
                                    key,
                                    json.hasNonNull("id") ? json.get("id").asText() : null,
                                    stateAt,
                                    json))
                            .map(StoreWebhookResource::answer);
                }));
    }

    @POST
    @Path("woocommerce")
    @Operation(summary = "WooCommerce webhooks: order.created and order.updated, and the unsigned creation ping")
    public Uni<RestResponse<WebhookIntake.Outcome>> woocommerce(
            byte[] body,
            @HeaderParam("X-WC-Webhook-Signature") String signature,
            @HeaderParam("X-WC-Webhook-Source") String source,
            @HeaderParam("X-WC-Webhook-Topic") String topic,
            @HeaderParam("X-WC-Webhook-Delivery-ID") String deliveryId) {
        if ((signature == null || signature.isBlank())
                && new String(body, StandardCharsets.UTF_8).matches("webhook_id=\\d+")) {
            // WooCommerce pings a new webhook once, unsigned, and disables it unless the ping succeeds.
            return Uni.createFrom().item(RestResponse.ok(new WebhookIntake.Outcome("PING", "webhook reachable", null)));
        }
        return counted(
                StorePlatform.WOOCOMMERCE,
                topic,
                verified(StorePlatform.WOOCOMMERCE, source, body, signature).chain(store -> {
                    JsonNode json = parse(body);
                    // Delivery ids repeat within a second: the order and its modification time identify a change.
                    String modified = json.path("date_modified_gmt")
                            .asText(json.path("date_modified").asText(""));
                    String key = json.hasNonNull("id") && !modified.isEmpty()
                            ? "order:" + json.get("id").asText() + ":" + modified
                            : "delivery:" + (deliveryId != null ? deliveryId : sha256(body));
                    return intake.take(new WebhookIntake.Delivery(
                                    store,
                                    required(topic, "X-WC-Webhook-Topic"),
                                    key,
                                    json.hasNonNull("id") ? json.get("id").asText() : null,
                                    wooTime(json.path("date_modified_gmt").asText(null)),
                                    json))
                            .map(StoreWebhookResource::answer);
                }));
    }

    /** 200 with what happened, or 202 when the delivery is kept for the platform to retry. */
    private static RestResponse<WebhookIntake.Outcome> answer(WebhookIntake.Outcome outcome) {
        return WebhookIntake.Outcome.PENDING.equals(outcome.outcome())
                ? RestResponse.status(RestResponse.Status.ACCEPTED, outcome)
                : RestResponse.ok(outcome);
    }

    /** WooCommerce's date_modified_gmt has no zone (it is UTC); date_modified is the site's local time and is not used. */
    private static Instant wooTime(String modifiedGmt) {
        if (modifiedGmt == null || modifiedGmt.isBlank()) {
            return null;
        }
        try {
            return java.time.LocalDateTime.parse(modifiedGmt).toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return instant(modifiedGmt);
        }
    }

    private Uni<StoreConnection> verified(StorePlatform platform, String domain, byte[] body, String signature) {
        if (domain == null || domain.isBlank()) {
            return Uni.createFrom().failure(ProblemException.unauthorized(NOT_VERIFIED));
        }
        return stores.byDomain(platform, domain).map(store -> {
            // One answer, and the same HMAC work, for an unknown store and a bad signature: the answer must not
            // tell which stores are connected. The log says which it was.
            boolean valid = WebhookSignature.valid(
                    store == null ? UNKNOWN_STORE_SECRET : stores.webhookSecret(store), body, signature);
            if (store == null || !valid) {
                LOG.infof(
                        "%s webhook refused: %s",
                        platform,
                        store == null ? "no connected store " + domain : "bad signature for store " + store.id);
                throw ProblemException.unauthorized(NOT_VERIFIED);
            }
            return store;
        });
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode json = mapper.readTree(body);
            if (json == null || !json.isObject()) {
                throw ProblemException.badRequest("the webhook body is not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw ProblemException.badRequest("the webhook body is not JSON");
        }
    }

    private static String required(String value, String header) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest("the " + header + " header is missing");
        }
        return value;
    }

    private static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
