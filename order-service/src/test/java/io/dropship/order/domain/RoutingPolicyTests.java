package io.dropship.order.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.order.domain.RoutingPolicy.Candidate;
import io.dropship.order.domain.RoutingPolicy.Decision;
import io.dropship.order.domain.RoutingPolicy.Line;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingPolicyTests {

    private static Candidate offer(
            String supplier, String wholesale, String shipping, double reliability, String region, int priority) {
        return new Candidate(
                supplier,
                supplier + "-SKU",
                new BigDecimal(wholesale),
                new BigDecimal(shipping),
                reliability,
                region,
                priority);
    }

    private static Candidate offer(String supplier, String wholesale) {
        return offer(supplier, wholesale, "0", 1.0, "US", 0);
    }

    private static String supplierOf(Decision d, String lineId) {
        return d.bySupplier().values().stream()
                .flatMap(List::stream)
                .filter(a -> a.lineId().equals(lineId))
                .findFirst()
                .orElseThrow()
                .candidate()
                .supplierId();
    }

    @Test
    void routesTheWholeOrderToOneSupplierWhenItCanShipEveryLineEvenIfSplittingWereCheaper() {
        Decision d = RoutingPolicy.route(
                List.of(
                        new Line("1", 1, List.of(offer("A", "10.00"), offer("B", "12.00"))),
                        new Line("2", 1, List.of(offer("B", "5.00"), offer("C", "1.00")))),
                "US");

        assertTrue(d.routed());
        assertEquals(Set.of("B"), d.bySupplier().keySet());
        assertEquals(2, d.bySupplier().get("B").size());
    }

    @Test
    void amongSuppliersThatCanShipEverythingTheCheapestWholeOrderWins() {
        Decision d = RoutingPolicy.route(
                List.of(
                        new Line("1", 2, List.of(offer("A", "10.00"), offer("B", "9.00"))),
                        new Line("2", 1, List.of(offer("A", "5.00"), offer("B", "7.00")))),
                "US");
        // A: 20 + 5 = 25; B: 18 + 7 = 25 -> equal cost; both reliability 1, both local; priority equal -> id order
        assertEquals(Set.of("A"), d.bySupplier().keySet());
    }

    @Test
    void splitsByLowestLandedCostWhenNoSupplierCanShipEverything() {
        Decision d = RoutingPolicy.route(
                List.of(
                        new Line(
                                "1",
                                1,
                                List.of(
                                        offer("A", "10.00", "2.00", 1, "US", 0),
                                        offer("B", "9.00", "4.00", 1, "US", 1))),
                        new Line("2", 1, List.of(offer("C", "3.00")))),
                "US");

        assertEquals("A", supplierOf(d, "1"), "10 + 2 beats 9 + 4: shipping counts");
        assertEquals("C", supplierOf(d, "2"));
        assertEquals(Set.of("A", "C"), d.bySupplier().keySet());
    }

    @Test
    void landedCostIsPerUnitTimesQuantity() {
        Decision d = RoutingPolicy.route(
                List.of(
                        new Line(
                                "1",
                                3,
                                List.of(
                                        offer("A", "10.00", "1.00", 1, "US", 0),
                                        offer("B", "10.50", "0.00", 1, "US", 1))),
                        new Line("2", 1, List.of(offer("C", "1.00")))),
                "US");
        assertEquals("B", supplierOf(d, "1"));
    }

    @Test
    void atEqualCostTheMoreReliableSupplierWins() {
        Decision d = RoutingPolicy.route(
                List.of(
                        new Line(
                                "1",
                                1,
                                List.of(
                                        offer("A", "10.00", "0", 0.80, "US", 0),
                                        offer("B", "10.00", "0", 0.95, "US", 1))),
                        new Line("2", 1, List.of(offer("C", "1.00")))),
                "US");
        assertEquals("B", supplierOf(d, "1"));
    }

    @Test
    void atEqualCostAndReliabilityTheSupplierShippingFromTheCustomersCountryWins() {
        Decision d = RoutingPolicy.route(
                List.of(
                        new Line(
                                "1",
                                1,
                                List.of(
                                        offer("A", "10.00", "0", 0.9, "CN", 0),
                                        offer("B", "10.00", "0", 0.9, "GB-LND", 1))),
                        new Line("2", 1, List.of(offer("C", "1.00")))),
                "GB");
        assertEquals("B", supplierOf(d, "1"));
    }

    @Test
    void whenAllElseIsEqualThePrimaryOfferWins() {
        Decision d = RoutingPolicy.route(
                List.of(
                        new Line(
                                "1",
                                1,
                                List.of(offer("Z", "10.00", "0", 1, "US", 0), offer("A", "10.00", "0", 1, "US", 1))),
                        new Line("2", 1, List.of(offer("C", "1.00")))),
                "US");
        assertEquals("Z", supplierOf(d, "1"));
    }

    @Test
    void aLineWithoutAnyCandidateMakesTheOrderUnroutableAndNamesTheLine() {
        Decision d = RoutingPolicy.route(
                List.of(new Line("1", 1, List.of(offer("A", "10.00"))), new Line("2", 1, List.of())), "US");
        assertFalse(d.routed());
        assertEquals(List.of("2"), d.unroutableLines());
        assertTrue(d.bySupplier().isEmpty(), "nothing is half-routed");
    }
}
