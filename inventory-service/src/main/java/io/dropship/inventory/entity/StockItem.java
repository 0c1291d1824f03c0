package io.dropship.inventory.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

@Entity
@Table(name = "stock_item")
public class StockItem {

    @Embeddable
    public record Key(@Column(name = "supplier_id") String supplierId, String sku) implements Serializable {}

    @EmbeddedId
    public Key key;

    @Column(name = "on_hand")
    public int onHand;

    public int reserved;

    @Column(name = "supplier_updated_at")
    public Instant supplierUpdatedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
