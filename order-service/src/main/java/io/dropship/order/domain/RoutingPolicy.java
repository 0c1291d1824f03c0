package io.dropship.order.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which supplier ships each line of an order. In order of precedence:
 * <ol>
 *   <li>one supplier for the whole order when one can ship every line;</li>
 *   <li>then the lowest landed cost, (wholesale + shipping) × quantity;</li>
 *   <li>then the more reliable supplier;</li>
 *   <li>then the supplier shipping from the customer's country;</li>
 *   <li>then the retailer's own order of offers (primary first), and finally the supplier id, so that the
 *       same input always gives the same answer.</li>
 * </ol>
 * Candidates are the offers that may be routed to at all: the caller leaves out suspended suppliers,
 * unsellable products and suppliers that already refused the line.
 */
public final class RoutingPolicy {

    /** One supplier offer for a line. */
    public record Candidate(
            String supplierId,
            String sku,
            BigDecimal wholesalePrice,
            BigDecimal shippingCost,
            double reliability,
            String shipFromRegion,
            int priority) {

        BigDecimal landedCost(int quantity) {
            return wholesalePrice.add(shippingCost).multiply(BigDecimal.valueOf(quantity));
        }

        boolean shipsFrom(String country) {
            return country != null && shipFromRegion != null && shipFromRegion.split("-")[0].equals(country);
        }
    }

    public record Line(String lineId, int quantity, List<Candidate> candidates) {}

    public record Assignment(String lineId, int quantity, Candidate candidate) {}

    /** The outcome: every line assigned, grouped by supplier; or the lines no supplier can take. */
    public record Decision(Map<String, List<Assignment>> bySupplier, List<String> unroutableLines) {
        public boolean routed() {
            return unroutableLines.isEmpty();
        }
    }

    private RoutingPolicy() {}

    public static Decision route(List<Line> lines, String customerCountry) {
        List<String> unroutable = lines.stream()
                .filter(l -> l.candidates().isEmpty())
                .map(Line::lineId)
                .toList();
        if (!unroutable.isEmpty()) {
            return new Decision(Map.of(), unroutable);
        }
        Optional<String> single = singleSupplier(lines, customerCountry);
        Map<String, List<Assignment>> bySupplier = new LinkedHashMap<>();
        for (Line line : lines) {
            Candidate chosen = single.flatMap(s -> line.candidates().stream()
                            .filter(c -> c.supplierId().equals(s))
                            .min(lineOrder(line.quantity(), customerCountry)))
                    .orElseGet(() -> line.candidates().stream()
                            .min(lineOrder(line.quantity(), customerCountry))
                            .orElseThrow());
            bySupplier
                    .computeIfAbsent(chosen.supplierId(), k -> new ArrayList<>())
                    .add(new Assignment(line.lineId(), line.quantity(), chosen));
        }
        return new Decision(bySupplier, List.of());
    }

    /** The best supplier among those that have an offer for every line, if any has. */
    private static Optional<String> singleSupplier(List<Line> lines, String customerCountry) {
        Set<String> common = null;
        for (Line line : lines) {
            Set<String> here = new LinkedHashSet<>();
            line.candidates().forEach(c -> here.add(c.supplierId()));
            if (common == null) {
                common = here;
            } else {
                common.retainAll(here);
            }
        }
        if (common == null || common.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Whole> wholes = new HashMap<>();
        for (String supplier : common) {
            BigDecimal cost = BigDecimal.ZERO;
            double reliability = 1;
            boolean local = true;
            int priority = 0;
            for (Line line : lines) {
                Candidate best = line.candidates().stream()
                        .filter(c -> c.supplierId().equals(supplier))
                        .min(lineOrder(line.quantity(), customerCountry))
                        .orElseThrow();
                cost = cost.add(best.landedCost(line.quantity()));
                reliability = Math.min(reliability, best.reliability());
                local &= best.shipsFrom(customerCountry);
                priority += best.priority();
            }
            wholes.put(supplier, new Whole(supplier, cost, reliability, local, priority));
        }
        return wholes.values().stream()
                .min(Comparator.comparing(Whole::cost)
                        .thenComparing(Whole::reliability, Comparator.reverseOrder())
                        .thenComparing(w -> w.local() ? 0 : 1)
                        .thenComparing(Whole::priority)
                        .thenComparing(Whole::supplierId))
                .map(Whole::supplierId);
    }

    private record Whole(String supplierId, BigDecimal cost, double reliability, boolean local, int priority) {}

    /** How one candidate fared in a decision, and the rule that settled it. */
    public record Verdict(String lineId, Candidate candidate, BigDecimal landedCost, boolean chosen, String why) {}

    /**
     * Why each candidate of each line won or lost the decision: the winner with the rule that chose it, every other
     * candidate with the first rule, in order of precedence, on which it fell behind the winner. For a routed decision
     * only (an unroutable one has no winners).
     */
    public static List<Verdict> explain(List<Line> lines, String customerCountry, Decision decision) {
        List<Verdict> out = new ArrayList<>();
        if (!decision.routed()) {
            return out;
        }
        Map<String, Candidate> chosenByLine = new HashMap<>();
        decision.bySupplier().values().forEach(as -> as.forEach(a -> chosenByLine.put(a.lineId(), a.candidate())));
        Optional<String> single = singleSupplier(lines, customerCountry);
        for (Line line : lines) {
            Candidate won = chosenByLine.get(line.lineId());
            int q = line.quantity();
            for (Candidate c : line.candidates()) {
                boolean chosen = c == won;
                String why;
                if (single.isPresent() && lines.size() > 1) {
                    why = chosen
                            ? "one supplier, " + won.supplierId() + ", ships every line of the order"
                            : c.supplierId().equals(won.supplierId())
                                    ? "the same supplier's other offer costs more"
                                    : won.supplierId() + " ships every line of the order in one parcel";
                } else if (chosen) {
                    Candidate next = line.candidates().stream()
                            .filter(o -> o != won)
                            .min(lineOrder(q, customerCountry))
                            .orElse(null);
                    why = next == null ? "the only candidate" : "won on " + rule(won, next, q, customerCountry);
                } else {
                    why = "lost on " + rule(won, c, q, customerCountry);
                }
                out.add(new Verdict(line.lineId(), c, c.landedCost(q), chosen, why));
            }
        }
        return out;
    }

    /** The first rule on which {@code loser} falls behind {@code winner}, in words. */
    private static String rule(Candidate winner, Candidate loser, int quantity, String customerCountry) {
        int cost = loser.landedCost(quantity).compareTo(winner.landedCost(quantity));
        if (cost != 0) {
            return "landed cost (" + winner.landedCost(quantity).toPlainString() + " against "
                    + loser.landedCost(quantity).toPlainString() + ")";
        }
        if (Double.compare(winner.reliability(), loser.reliability()) != 0) {
            return "reliability (" + winner.reliability() + " against " + loser.reliability()
                    + ", at the same landed cost)";
        }
        if (winner.shipsFrom(customerCountry) != loser.shipsFrom(customerCountry)) {
            return "shipping from the customer's country, " + customerCountry + " (at the same cost and reliability)";
        }
        if (winner.priority() != loser.priority()) {
            return "the retailer's order of offers (at the same cost, reliability and region)";
        }
        return "the supplier id, everything else being equal";
    }

    private static Comparator<Candidate> lineOrder(int quantity, String customerCountry) {
        return Comparator.<Candidate, BigDecimal>comparing(c -> c.landedCost(quantity))
                .thenComparing(Candidate::reliability, Comparator.reverseOrder())
                .thenComparing(c -> c.shipsFrom(customerCountry) ? 0 : 1)
                .thenComparing(Candidate::priority)
                .thenComparing(Candidate::supplierId);
    }
}
