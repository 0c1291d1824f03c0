package io.dropship.settlement.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CurrencyUnitsTests {

    private static BigDecimal d(String v) {
        return new BigDecimal(v);
    }

    @Test
    void dollarsAndEurosGoToStripeInCents() {
        assertEquals(1234, CurrencyUnits.toMinor("USD", d("12.34")));
        assertEquals(1200, CurrencyUnits.toMinor("eur", d("12")));
    }

    @Test
    void yenAndWonGoToStripeInWholeUnitsNotAHundredTimesMore() {
        assertEquals(1500, CurrencyUnits.toMinor("JPY", d("1500")));
        assertEquals(1500, CurrencyUnits.toMinor("KRW", d("1500.00")));
        assertEquals(0, CurrencyUnits.scale("JPY"));
    }

    @Test
    void threeDecimalCurrenciesGoInThousandthsWithTheLastDigitZero() {
        assertEquals(12340, CurrencyUnits.toMinor("KWD", d("12.34")));
        assertEquals(3, CurrencyUnits.minorDigits("BHD"));
        assertThrows(IllegalArgumentException.class, () -> CurrencyUnits.toMinor("KWD", d("12.345")));
    }

    @Test
    void icelandicKronurAreWholeUnitsWrittenWithTwoDecimals() {
        assertEquals(150000, CurrencyUnits.toMinor("ISK", d("1500")));
        assertThrows(IllegalArgumentException.class, () -> CurrencyUnits.toMinor("ISK", d("1500.50")));
    }

    @Test
    void anAmountTheCurrencyCannotBeChargedInIsAnErrorNotARounding() {
        assertThrows(IllegalArgumentException.class, () -> CurrencyUnits.toMinor("JPY", d("1500.5")));
        assertThrows(IllegalArgumentException.class, () -> CurrencyUnits.toMinor("USD", d("1.005")));
        assertThrows(IllegalArgumentException.class, () -> CurrencyUnits.toMinor("US", d("1")));
    }

    @Test
    void stripesMinorUnitsReadBackAsTheSameAmount() {
        assertEquals(0, d("12.34").compareTo(CurrencyUnits.fromMinor("usd", 1234)));
        assertEquals(0, d("1500").compareTo(CurrencyUnits.fromMinor("jpy", 1500)));
        assertEquals(0, d("12.34").compareTo(CurrencyUnits.fromMinor("kwd", 12340)));
    }
}
