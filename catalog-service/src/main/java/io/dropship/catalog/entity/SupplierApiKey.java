package io.dropship.catalog.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "supplier_api_key")
public class SupplierApiKey {

    @Id
    public String id;

    @Column(name = "supplier_id")
    public String supplierId;

    public String label;

    @Column(name = "secret_hash")
    public byte[] secretHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
    /** Set when the key was rotated: it works until then. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "replaced_by")
    public String replacedBy;

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
