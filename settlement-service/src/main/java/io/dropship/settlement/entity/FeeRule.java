package io.dropship.settlement.entity;

import io.dropship.settlement.domain.FeeSchedule;
import io.dropship.settlement.domain.Plan;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;

@Entity
@Table(name = "fee_rule")
public class FeeRule {

    @Id
    @Enumerated(EnumType.STRING)
    public Plan plan;

    @Column(name = "fixed_fee")
    public BigDecimal fixedFee;

    public BigDecimal percent;

    @Column(name = "monthly_order_limit")
    public Integer monthlyOrderLimit;

    public String currency;
    /** The subscription's monthly price, in the rule's currency; null: the plan cannot be subscribed to. */
    @Column(name = "monthly_price")
    public BigDecimal monthlyPrice;
    /** Suppliers whose products the retailer may list; null: unlimited. */
    @Column(name = "supplier_limit")
    public Integer supplierLimit;
    /** Past the monthly order limit: HOLD (the order waits) or OVERAGE (invoiced at the BASIC fee). */
    @Column(name = "over_limit")
    public String overLimit;

    @Column(name = "trial_days")
    public int trialDays;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;

    /** The fixed fee in each currency (table fee_rule_fixed_fee), filled in by FeeRules. */
    @jakarta.persistence.Transient
    public java.util.Map<String, BigDecimal> fixedFees = new java.util.TreeMap<>();

    /** The fee for a supplier order in this currency: its own fixed fee (none when none is set for it) plus the percentage. */
    public FeeSchedule schedule(String currency) {
        return new FeeSchedule(fixedFees.getOrDefault(currency, BigDecimal.ZERO), percent);
    }
}
