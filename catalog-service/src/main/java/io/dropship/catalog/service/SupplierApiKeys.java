package io.dropship.catalog.service;

import io.dropship.catalog.domain.ApiKeys;
import io.dropship.catalog.domain.SupplierStatus;
import io.dropship.catalog.entity.Supplier;
import io.dropship.catalog.entity.SupplierApiKey;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.platform.web.TokenIssuer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/** Supplier API keys: made for active suppliers, listed without their secrets, revoked, exchanged for tokens. */
@ApplicationScoped
public class SupplierApiKeys {

    public record CreatedKey(String keyId, String label, String apiKey, Instant createdAt) {}

    private final Mutiny.SessionFactory sessions;
    private final TokenIssuer tokens;
    private final Duration tokenLifetime;

    public SupplierApiKeys(
            Mutiny.SessionFactory sessions,
            TokenIssuer tokens,
            @ConfigProperty(name = "dropship.supplier-token.lifetime") Duration tokenLifetime) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.tokenLifetime = tokenLifetime;
    }

    public Uni<CreatedKey> create(String supplierId, String label) {
        return sessions.withTransaction(s -> create(s, supplierId, label));
    }

    private Uni<CreatedKey> create(Mutiny.Session s, String supplierId, String label) {
        return s.find(Supplier.class, supplierId).chain(supplier -> {
            if (supplier == null) {
                throw ProblemException.notFound("supplier " + supplierId);
            }
            if (supplier.status != SupplierStatus.ACTIVE) {
                throw ProblemException.conflict("API keys are for active suppliers; this one is " + supplier.status);
            }
            ApiKeys.NewKey generated = ApiKeys.generate();
            SupplierApiKey key = new SupplierApiKey();
            key.id = generated.keyId();
            key.supplierId = supplierId;
            key.label = label;
            key.secretHash = generated.secretHash();
            key.createdAt = Instant.now();
            return s.persist(key).replaceWith(new CreatedKey(key.id, label, generated.token(), key.createdAt));
        });
    }

    /**
     * Rotates a key: a new key with the same label, shown once; the old one keeps working for the grace period
     * (zero ends it at once), so the supplier can roll the new secret out without an outage.
     */
    public Uni<CreatedKey> rotate(String supplierId, String keyId, Duration grace) {
        return sessions.withTransaction(s -> s.find(SupplierApiKey.class, keyId).chain(old -> {
            if (old == null || !old.supplierId.equals(supplierId)) {
                throw ProblemException.notFound("API key " + keyId);
            }
            Instant now = Instant.now();
            if (!old.usableAt(now) || old.replacedBy != null) {
                throw ProblemException.conflict("API key " + keyId + " was already revoked or rotated");
            }
            return create(s, supplierId, old.label).invoke(created -> {
                old.replacedBy = created.keyId();
                if (grace.isZero()) {
                    old.revokedAt = now;
                } else {
                    old.expiresAt = now.plus(grace);
                }
            });
        }));
    }

    public Uni<List<SupplierApiKey>> list(String supplierId) {
        return sessions.withSession(s -> s.createSelectionQuery(
                        "from SupplierApiKey where supplierId = :supplier order by createdAt", SupplierApiKey.class)
                .setParameter("supplier", supplierId)
                .getResultList());
    }

    public Uni<Void> revoke(String supplierId, String keyId) {
        return sessions.withTransaction(s -> s.find(SupplierApiKey.class, keyId).invoke(key -> {
                    if (key == null || !key.supplierId.equals(supplierId)) {
                        throw ProblemException.notFound("API key " + keyId);
                    }
                    if (key.revokedAt == null) {
                        key.revokedAt = Instant.now();
                    }
                }))
                .replaceWithVoid();
    }

    /**
     * Exchanges a presented API key for a short-lived SUPPLIER token. Every way of failing answers the same
     * 401, so that a caller learns nothing about which keys exist.
     */
    public Uni<TokenIssuer.IssuedToken> exchange(String presented) {
        ApiKeys.Presented key = ApiKeys.parse(presented).orElseThrow(SupplierApiKeys::invalid);
        return sessions.withTransaction(s -> s.find(SupplierApiKey.class, key.keyId())
                .chain(stored -> {
                    if (stored == null
                            || !stored.usableAt(Instant.now())
                            || !ApiKeys.matches(key.secret(), stored.secretHash)) {
                        throw invalid();
                    }
                    return s.find(Supplier.class, stored.supplierId).map(supplier -> {
                        if (supplier.status != SupplierStatus.ACTIVE) {
                            throw ProblemException.forbidden("supplier " + supplier.id + " is " + supplier.status);
                        }
                        stored.lastUsedAt = Instant.now();
                        return tokens.issue(
                                "supplier-key-" + stored.id,
                                Set.of(Roles.SUPPLIER),
                                Map.of(Roles.SUPPLIER_CLAIM, supplier.id),
                                tokenLifetime);
                    });
                }));
    }

    private static ProblemException invalid() {
        return ProblemException.unauthorized("the API key is not valid");
    }
}
