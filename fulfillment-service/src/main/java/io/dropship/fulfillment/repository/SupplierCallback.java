package io.dropship.fulfillment.repository;

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
    @Column(name = "signing_secret")
    public String signingSecret;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
