package io.dropship.catalog.repository;

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
    @Enumerated(EnumType.STRING)
    public SupplierStatus status;
    @Column(name = "status_reason")
    public String statusReason;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
