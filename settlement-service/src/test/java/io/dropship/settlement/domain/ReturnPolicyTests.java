package io.dropship.settlement.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The return window and what a return gives back. */
class ReturnPolicyTests {

    private static final Instant SHIPPED = Instant.parse("2026-11-01T12:00:00Z");

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void returnsAreTakenWithinTheWindowOnly() {
        ReturnPolicy p = new ReturnPolicy(true, 14, false, BigDecimal.ZERO, null);
        assertNull(p.refusal("acme", SHIPPED, SHIPPED.plus(Duration.ofDays(14))));
        assertEquals(
                "supplier acme takes returns within 14 days of shipping; this one shipped 2026-11-01T12:00:00Z",
                p.refusal("acme", SHIPPED, SHIPPED.plus(Duration.ofDays(14)).plusSeconds(1)));
        assertEquals(
                "supplier acme does not take returns",
                new ReturnPolicy(false, 14, false, BigDecimal.ZERO, "SUPPLIER").refusal("acme", SHIPPED, SHIPPED));
    }

    @Test
    void theDefaultIsThirtyDaysWholesaleOnlyNoFeeRetailerPaysTheParcel() {
        ReturnPolicy p = ReturnPolicy.DEFAULT;
        assertNull(p.refusal("acme", SHIPPED, SHIPPED.plus(Duration.ofDays(30))));
        assertEquals("RETAILER", p.returnShippingPaidBy());
        ReturnPolicy.GiveBack back = p.giveBack("USD", d("40.00"), 2, 2, d("6.00"));
        assertEquals(d("0.00"), back.restockingFee());
        assertEquals(0, back.amount().compareTo(d("40.00")));
    }

    @Test
    void theRestockingFeeComesOffTheWholesaleAndRoundsToTheCurrency() {
        ReturnPolicy p = new ReturnPolicy(true, 30, false, d("15"), "RETAILER");
        ReturnPolicy.GiveBack back = p.giveBack("USD", d("19.99"), 1, 1, d("5.00"));
        assertEquals(d("3.00"), back.restockingFee()); // 2.9985, half-up
        assertEquals(d("16.99"), back.amount());
        ReturnPolicy.GiveBack yen = p.giveBack("JPY", d("1999"), 1, 1, null);
        assertEquals(d("300"), yen.restockingFee()); // 299.85
        assertEquals(0, yen.amount().compareTo(d("1699")));
    }

    @Test
    void refundedShippingIsSharedByTheUnitsReturned() {
        ReturnPolicy p = new ReturnPolicy(true, 30, true, d("10"), "SUPPLIER");
        // 1 of 3 units of a supplier order whose shipping cost 10.00: 3.33 of it.
        ReturnPolicy.GiveBack back = p.giveBack("USD", d("20.00"), 1, 3, d("10.00"));
        assertEquals(d("2.00"), back.restockingFee());
        assertEquals(d("3.33"), back.shipping());
        assertEquals(d("21.33"), back.amount());
        // The whole order gives all its shipping back; an order with no units or no shipping gives none.
        assertEquals(d("10.00"), p.giveBack("USD", d("60.00"), 3, 3, d("10.00")).shipping());
        assertEquals(
                BigDecimal.ZERO, p.giveBack("USD", d("20.00"), 1, 0, d("10.00")).shipping());
        assertEquals(BigDecimal.ZERO, p.giveBack("USD", d("20.00"), 1, 3, null).shipping());
    }
}
