package io.dropship.fulfillment.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "supplier_callback")
public class SupplierCallback {

    @Id
    @Column(name = "supplier_id")
    public String supplierId;

    public String url;
    public boolean enabled;
    /** Only in rows from before secrets were sealed, until the service seals them at start; null otherwise. */
    @Column(name = "signing_secret")
    public String signingSecret;
    /** The signing secret, sealed with the service's SecretBox. */
    @Column(name = "signing_secret_sealed")
    public byte[] signingSecretSealed;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
