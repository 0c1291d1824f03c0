package io.dropship.gateway.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "inbound_order")
public class InboundOrder {

    @Id
    public UUID id;

    @Column(name = "order_number")
    public String orderNumber;

    @Column(name = "retailer_id")
    public String retailerId;

    @Column(name = "store_id")
    public String storeId;

    @Column(name = "store_platform")
    public String storePlatform;

    @Column(name = "store_order_id")
    public String storeOrderId;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;
}
