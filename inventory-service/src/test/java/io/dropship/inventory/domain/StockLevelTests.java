package io.dropship.inventory.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StockLevelTests {

    @Test
    void availableIsOnHandLessReserved() {
        assertEquals(7, new StockLevel("s", "A", 10, 3).available());
    }

    @Test
    void availableNeverGoesNegativeWhenTheSupplierReportsLessThanIsReserved() {
        assertEquals(0, new StockLevel("s", "A", 2, 5).available());
    }

    @Test
    void stockIsLowBelowTheThreshold() {
        StockPolicy policy = new StockPolicy(90, 5);
        assertTrue(policy.isLow(new StockLevel("s", "A", 4, 0).available()));
        assertFalse(policy.isLow(new StockLevel("s", "A", 5, 0).available()));
    }

    @Test
    void storesAreShownTheSharePercentOfAvailableRoundedDown() {
        StockPolicy policy = new StockPolicy(90, 5);
        assertEquals(9, policy.shown(10));
        assertEquals(8, policy.shown(9));
        assertEquals(0, policy.shown(1));
        assertEquals(0, policy.shown(0));
        assertEquals(90_000_000, policy.shown(100_000_000));
        assertEquals(1, new StockPolicy(100, 0).shown(1));
        assertEquals(0, new StockPolicy(0, 0).shown(500));
        assertThrows(IllegalArgumentException.class, () -> new StockPolicy(101, 0));
    }

    @Test
    void theSupplierProductIdIsTheSupplierAndItsSku() {
        assertEquals("sup-1:MUG-1", new StockLevel("sup-1", "MUG-1", 0, 0).supplierProductId());
    }
}
