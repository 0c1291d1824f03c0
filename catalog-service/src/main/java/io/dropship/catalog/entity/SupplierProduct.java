package io.dropship.catalog.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;

@Entity
@Table(name = "supplier_product")
public class SupplierProduct {

    @Embeddable
    public record Key(@Column(name = "supplier_id") String supplierId, String sku) implements Serializable {
        public String id() {
            return supplierId + ":" + sku;
        }
    }

    @EmbeddedId
    public Key key;

    public String title;
    public String description;

    @Column(name = "wholesale_price")
    public BigDecimal wholesalePrice;

    @Column(name = "shipping_cost")
    public BigDecimal shippingCost;

    public String currency;
    public String status;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
