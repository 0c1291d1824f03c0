package io.dropship.catalog.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MapsId;
import jakarta.persistence.Table;
import java.io.Serializable;

@Entity
@Table(name = "listing_offer")
public class ListingOffer {

    @Embeddable
    public record Key(@Column(name = "listing_id") String listingId, int priority) implements Serializable {}

    @EmbeddedId
    public Key key;

    @MapsId("listingId")
    @ManyToOne
    @JoinColumn(name = "listing_id")
    public Listing listing;

    @Column(name = "supplier_id")
    public String supplierId;

    public String sku;
}
