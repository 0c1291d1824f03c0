package io.dropship.catalog.entity;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@Entity
@Table(name = "listing")
public class Listing {

    @Id
    public String id;

    @Column(name = "retailer_id")
    public String retailerId;

    public String sku;
    public String title;
    public String status;
    /** The connected store (integration-gateway's store id) the listing is sold in, or null when not pushed to one. */
    @Column(name = "store_id")
    public String storeId;

    @Column(name = "retail_price")
    public BigDecimal retailPrice;

    @Column(name = "compare_at_price")
    public BigDecimal compareAtPrice;

    public String currency;
    /** The primary offer's wholesale + shipping when the price was last set. */
    @Column(name = "landed_cost")
    public BigDecimal landedCost;
    /** The retailer's fixed price for this listing, over its pricing rules; null when a rule prices it. */
    @Column(name = "fixed_price")
    public BigDecimal fixedPrice;
    /** A pricing rule of this listing's own (PricingRule as JSON), over the retailer's general one; null for none. */
    @Column(name = "own_rule")
    @org.hibernate.annotations.ColumnTransformer(
            read = "cast(own_rule as text)",
            write = "cast(cast(? as text) as jsonb)")
    public String ownRule;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @OneToMany(mappedBy = "listing", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.LAZY)
    @OrderBy("key.priority")
    public List<ListingOffer> offers = new ArrayList<>();
}
