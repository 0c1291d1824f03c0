package io.dropship.settlement.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CreditTermsTests {

    private static BigDecimal d(String v) {
        return new BigDecimal(v);
    }

    @Test
    void aPaymentWithinTheLimitIsCoveredUpToTheLastCent() {
        CreditTerms terms = new CreditTerms("USD", d("100.00"));
        assertTrue(terms.covers("USD", d("60.00"), d("40.00")));
        assertFalse(terms.covers("USD", d("60.00"), d("40.01")));
    }

    @Test
    void creditInOneCurrencyCoversNothingInAnother() {
        assertFalse(new CreditTerms("USD", d("1000")).covers("EUR", d("0"), d("1")));
    }

    @Test
    void aNegativeLimitOrABadCurrencyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CreditTerms("USD", d("-1")));
        assertThrows(IllegalArgumentException.class, () -> new CreditTerms("usd", d("1")));
    }
}
