package io.dropship.gateway.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "store_connection")
public class StoreConnection {

    @Id
    public String id;

    @Column(name = "retailer_id")
    public String retailerId;

    public String platform;

    @Column(name = "shop_domain")
    public String shopDomain;

    @Column(name = "webhook_secret")
    public byte[] webhookSecret;

    @Column(name = "api_token")
    public byte[] apiToken;

    @Column(name = "fulfil_on")
    public String fulfilOn;

    public String status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
    /** The shop's location stock is set at (Shopify), looked up once. */
    @Column(name = "stock_location_id")
    public String stockLocationId;
}
