package io.dropship.catalog.entity;

import io.dropship.catalog.domain.BusinessType;
import io.dropship.catalog.domain.SupplierStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "supplier")
public class Supplier {

    @Id
    public String id;

    @Column(name = "company_name")
    public String companyName;

    @Column(name = "contact_email")
    public String contactEmail;

    @Enumerated(EnumType.STRING)
    @Column(name = "business_type")
    public BusinessType businessType;

    @Column(name = "ship_from_region")
    public String shipFromRegion;

    @Column(name = "contact_name")
    public String contactName;

    @Column(name = "contact_phone")
    public String contactPhone;
    /** Comma-separated {@link io.dropship.catalog.domain.ShippingMethod} names. */
    @Column(name = "shipping_methods")
    public String shippingMethods;
    /** Fulfilment speed promised: working days from order to hand-over to the carrier. */
    @Column(name = "handling_days")
    public int handlingDays;

    @Column(name = "minimum_order_value")
    public java.math.BigDecimal minimumOrderValue;

    @Enumerated(EnumType.STRING)
    public SupplierStatus status;

    @Column(name = "status_reason")
    public String statusReason;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
