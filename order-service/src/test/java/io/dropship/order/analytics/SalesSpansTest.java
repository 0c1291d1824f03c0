package io.dropship.order.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dropship.order.analytics.SalesAnalytics.Granularity;
import io.dropship.order.analytics.SalesAnalytics.Span;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a report's range is cut into whole weeks or months (their sums) and the cut ends (their days). */
class SalesSpansTest {

    private static LocalDate d(String day) {
        return LocalDate.parse(day);
    }

    @Test
    void aYearByMonthIsItsCutEndsAroundTheWholeMonths() {
        assertEquals(
                List.of(
                        new Span(d("2025-12-03"), d("2025-12-31"), d("2025-12-01"), false),
                        new Span(d("2026-01-01"), d("2026-11-01"), null, true),
                        new Span(d("2026-12-01"), d("2026-12-02"), d("2026-12-01"), false)),
                SalesAnalytics.spans(d("2025-12-03"), d("2026-12-02"), Granularity.MONTH));
    }

    @Test
    void wholeWeeksFromMondayAndARangeInsideOnePeriod() {
        // 2026-11-01 is a Sunday, 2026-11-30 a Monday.
        assertEquals(
                List.of(
                        new Span(d("2026-11-01"), d("2026-11-01"), d("2026-10-26"), false),
                        new Span(d("2026-11-02"), d("2026-11-23"), null, true),
                        new Span(d("2026-11-30"), d("2026-11-30"), d("2026-11-30"), false)),
                SalesAnalytics.spans(d("2026-11-01"), d("2026-11-30"), Granularity.WEEK));
        assertEquals(
                List.of(new Span(d("2026-11-05"), d("2026-11-20"), d("2026-11-01"), false)),
                SalesAnalytics.spans(d("2026-11-05"), d("2026-11-20"), Granularity.MONTH));
        assertEquals(
                List.of(new Span(d("2026-11-01"), d("2026-11-01"), null, true)),
                SalesAnalytics.spans(d("2026-11-01"), d("2026-11-30"), Granularity.MONTH));
        assertEquals(
                List.of(new Span(d("2026-11-05"), d("2026-11-20"), null, false)),
                SalesAnalytics.spans(d("2026-11-05"), d("2026-11-20"), Granularity.DAY));
    }

    @Test
    void eachStretchIsReadTheCheaperWay() {
        // Whole periods from their sums; a report by day from its days.
        assertEquals(Span.Read.PERIODS, new Span(d("2026-01-01"), d("2026-11-01"), null, true).read(Granularity.MONTH));
        assertEquals(Span.Read.DAYS, new Span(d("2026-11-05"), d("2026-11-20"), null, false).read(Granularity.DAY));
        // A cut month: 29 of its 31 days kept, so the month less 2 days; 2 of 31 kept, so those 2 days.
        Span mostOfDecember = new Span(d("2025-12-03"), d("2025-12-31"), d("2025-12-01"), false);
        assertEquals(29, mostOfDecember.kept());
        assertEquals(2, mostOfDecember.leftOut(Granularity.MONTH));
        assertEquals(Span.Read.PERIOD_LESS_DAYS, mostOfDecember.read(Granularity.MONTH));
        assertEquals(
                Span.Read.DAYS_OF_PERIOD,
                new Span(d("2026-12-01"), d("2026-12-02"), d("2026-12-01"), false).read(Granularity.MONTH));
        // Half and half reads the days.
        assertEquals(
                Span.Read.DAYS_OF_PERIOD,
                new Span(d("2026-11-30"), d("2026-12-02"), d("2026-11-30"), false).read(Granularity.WEEK));
    }
}
