package io.dropship.settlement.domain;

import java.math.BigDecimal;

/**
 * Credit terms the platform gives a retailer: its supplier orders may go to their suppliers before the payment for
 * them is taken, as long as everything dispatched that way and not yet paid stays within the limit, in one currency.
 * Without terms (the default) a supplier order waits for its charge.
 */
public record CreditTerms(String currency, BigDecimal limit) {

    public CreditTerms {
        if (currency == null || !currency.matches("[A-Z]{3}") || limit == null || limit.signum() < 0) {
            throw new IllegalArgumentException("credit terms are an ISO 4217 currency and a limit of 0 or more");
        }
    }

    /** Whether a payment of this amount may be dispatched on credit, given what is already outstanding on credit. */
    public boolean covers(String paymentCurrency, BigDecimal outstanding, BigDecimal amount) {
        return currency.equals(paymentCurrency) && outstanding.add(amount).compareTo(limit) <= 0;
    }
}
