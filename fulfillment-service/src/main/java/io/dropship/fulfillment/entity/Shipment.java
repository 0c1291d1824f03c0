package io.dropship.fulfillment.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "shipment")
public class Shipment {

    @Id
    public UUID id;

    @Column(name = "supplier_order_id")
    public UUID supplierOrderId;

    public String carrier;

    @Column(name = "tracking_number")
    public String trackingNumber;

    @Column(name = "tracking_url")
    public String trackingUrl;

    @Column(name = "shipped_at")
    public Instant shippedAt;
}
