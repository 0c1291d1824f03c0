package io.dropship.gateway.service;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.gateway.domain.StorePlatform;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.hibernate.reactive.mutiny.Mutiny;

/** Retailers' store connections; their secrets are sealed at rest and opened only to verify or call the store. */
@ApplicationScoped
public class StoreConnections {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Mutiny.SessionFactory sessions;
    private final io.dropship.platform.web.SealedSecrets secrets;
    private final boolean blockPrivateSites;

    public StoreConnections(
            Mutiny.SessionFactory sessions, GatewayConfig config, io.dropship.platform.web.SealedSecrets secrets) {
        this.sessions = sessions;
        this.secrets = secrets;
        this.blockPrivateSites = config.woocommerce().blockPrivateAddresses();
    }

    /**
     * Why the gateway may not call this WooCommerce site, or null: where private addresses are blocked (production),
     * the site must be https and every address its host resolves to on the public internet.
     */
    public static String siteRefusal(String normalizedSiteUrl, boolean blockPrivate) {
        if (!blockPrivate) {
            return null;
        }
        URI uri = URI.create(normalizedSiteUrl);
        if (!"https".equals(uri.getScheme())) {
            return "a WooCommerce site URL must use https";
        }
        String why = io.dropship.platform.web.Egress.refusal(uri);
        return why == null ? null : "a WooCommerce site must be on the public internet: " + why;
    }

    /** The identity a store's webhooks carry: a Shopify shop domain, or a WooCommerce site URL without trailing slash. */
    public static String normalizeDomain(StorePlatform platform, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest("a shop domain or site URL is required");
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (platform == StorePlatform.SHOPIFY) {
            v = v.replaceFirst("^https?://", "").replaceAll("/+$", "");
            if (!v.matches("[a-z0-9][a-z0-9-]*\\.myshopify\\.com")) {
                throw ProblemException.badRequest("a Shopify shop domain looks like acme.myshopify.com");
            }
            return v;
        }
        try {
            URI uri = URI.create(v.replaceAll("/+$", ""));
            if (uri.getHost() == null
                    || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
                throw new IllegalArgumentException();
            }
            return uri.toString();
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("a WooCommerce site URL looks like https://shop.example.com");
        }
    }

    public Uni<StoreConnection> connect(
            String retailerId,
            StorePlatform platform,
            String domain,
            String webhookSecret,
            String apiToken,
            String fulfilOn) {
        String normalized = normalizeDomain(platform, domain);
        String refused = platform == StorePlatform.WOOCOMMERCE ? siteRefusal(normalized, blockPrivateSites) : null;
        if (refused != null) {
            throw ProblemException.badRequest(refused);
        }
        if (platform == StorePlatform.WOOCOMMERCE && !apiToken.matches("[^:\\s]+:[^:\\s]+")) {
            throw ProblemException.badRequest(
                    "a WooCommerce API token is the REST API consumer key and secret: ck_...:cs_...");
        }
        return sessions.withTransaction(s -> s.createSelectionQuery(
                        "from StoreConnection where platform = :p and shopDomain = :d", StoreConnection.class)
                .setParameter("p", platform.name())
                .setParameter("d", normalized)
                .getSingleResultOrNull()
                .chain(existing -> {
                    if (existing != null && !existing.retailerId.equals(retailerId)) {
                        throw ProblemException.conflict("this store is connected to another retailer");
                    }
                    Instant now = Instant.now();
                    StoreConnection c = existing != null ? existing : new StoreConnection();
                    if (existing == null) {
                        c.id = "st-" + Long.toString(Math.abs(RANDOM.nextLong()), 36);
                        c.retailerId = retailerId;
                        c.platform = platform.name();
                        c.shopDomain = normalized;
                        c.createdAt = now;
                    }
                    c.webhookSecret = secrets.box().seal(webhookSecret);
                    c.apiToken = secrets.box().seal(apiToken);
                    c.fulfilOn = fulfilOn;
                    c.status = "ACTIVE";
                    c.updatedAt = now;
                    return (existing == null ? s.persist(c) : Uni.createFrom().voidItem()).replaceWith(c);
                }));
    }

    public Uni<List<StoreConnection>> of(String retailerId) {
        return sessions.withSession(s -> s.createSelectionQuery(
                        "from StoreConnection where retailerId = :r order by createdAt", StoreConnection.class)
                .setParameter("r", retailerId)
                .getResultList());
    }

    /** Whether the store is one of the retailer's connected custom stores. */
    public Uni<Boolean> ownsCustomStore(String retailerId, String storeId) {
        return sessions.withSession(s -> s.createSelectionQuery(
                                "select count(*) from StoreConnection"
                                        + " where id = :id and retailerId = :r and platform = 'CUSTOM'",
                                Long.class)
                        .setParameter("id", storeId)
                        .setParameter("r", retailerId)
                        .getSingleResult())
                .map(n -> n > 0);
    }

    public Uni<StoreConnection> byDomain(StorePlatform platform, String domain) {
        String normalized;
        try {
            normalized = normalizeDomain(platform, domain);
        } catch (ProblemException e) {
            return Uni.createFrom().nullItem();
        }
        return sessions.withSession(s -> s.createSelectionQuery(
                        "from StoreConnection where platform = :p and shopDomain = :d", StoreConnection.class)
                .setParameter("p", platform.name())
                .setParameter("d", normalized)
                .getSingleResultOrNull());
    }

    /** A secret sealed for storing in a connection. */
    public byte[] seal(String secret) {
        return secrets.box().seal(secret);
    }

    public String webhookSecret(StoreConnection c) {
        return secrets.box().open(c.webhookSecret);
    }

    /** The Admin API credential: a Shopify access token, or a WooCommerce {@code consumer_key:consumer_secret}. */
    public String apiToken(StoreConnection c) {
        return secrets.box().open(c.apiToken);
    }
}
