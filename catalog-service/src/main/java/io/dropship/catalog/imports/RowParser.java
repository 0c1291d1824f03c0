package io.dropship.catalog.imports;

import io.dropship.catalog.catalog.ProductInput;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one CSV record into a product, or says in plain words why it cannot. Numbers are read as suppliers'
 * spreadsheets write them: "$1,234.50", "1.234,50" and "12,5" (a decimal comma), weights with their unit.
 */
public final class RowParser {

    /** A row that cannot be imported: the reason is shown to the supplier with the line number. */
    public static final class RowError extends Exception {
        public RowError(String message) {
            super(message, null, false, false);
        }
    }

    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._/-]{1,100}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern WEIGHT = Pattern.compile("(?i)\\s*([0-9.,]+)\\s*(kg|kgs|g|gr|grams?|lb|lbs|oz)?\\s*");
    // Compiled once: String.matches, replaceAll and split compile their pattern on every call, and every row of an
    // import parses its prices and weight (the compiled patterns were 18 % of what catalog-service allocated during
    // one).
    private static final Pattern NOT_IN_NUMBER = Pattern.compile("[^0-9.,-]");
    private static final Pattern THOUSANDS_COMMAS = Pattern.compile("-?\\d{1,3}(,\\d{3})+");
    private static final Pattern THOUSANDS_DOTS = Pattern.compile("-?\\d{1,3}(\\.\\d{3}){2,}");
    private static final Pattern NOT_A_LETTER = Pattern.compile("[^A-Z]");
    private static final Pattern KILOGRAMS = Pattern.compile(".*\\bkgs?\\b.*");
    private static final Pattern POUNDS = Pattern.compile(".*\\blbs?\\b.*");
    private static final Pattern OUNCES = Pattern.compile(".*\\boz\\b.*");

    private final ColumnMapping mapping;
    private final String defaultCurrency;
    private final double weightUnitInGrams;

    public RowParser(ColumnMapping mapping, String defaultCurrency) {
        this.mapping = mapping;
        this.defaultCurrency = defaultCurrency;
        String weightHeader = mapping.header(ImportField.WEIGHT);
        this.weightUnitInGrams = weightHeader == null ? 1 : unit(weightHeader.toLowerCase(Locale.ROOT));
    }

    private static double unit(String header) {
        if (KILOGRAMS.matcher(header).matches()) {
            return 1000;
        }
        if (POUNDS.matcher(header).matches()) {
            return 453.59237;
        }
        if (OUNCES.matcher(header).matches()) {
            return 28.349523125;
        }
        return 1;
    }

    public ProductInput parse(List<String> r) throws RowError {
        if (r.size() != mapping.width()) {
            throw new RowError("has " + r.size() + " columns where the header has " + mapping.width());
        }
        String sku = get(r, ImportField.SKU);
        if (sku == null) {
            throw new RowError("sku is empty");
        }
        if (!SKU.matcher(sku).matches()) {
            throw new RowError("sku '" + abbreviate(sku) + "' may only hold letters, digits and . _ / - (at most 100)");
        }
        String title = get(r, ImportField.TITLE);
        if (title == null) {
            throw new RowError("title is empty");
        }
        if (title.length() > 300) {
            throw new RowError("title is longer than 300 characters");
        }
        String description = get(r, ImportField.DESCRIPTION);
        if (description != null && description.length() > 10_000) {
            throw new RowError("description is longer than 10,000 characters");
        }
        BigDecimal wholesale = money(r, ImportField.WHOLESALE_PRICE, true);
        BigDecimal shipping = money(r, ImportField.SHIPPING_COST, false);
        BigDecimal msrp = money(r, ImportField.MSRP, false);
        BigDecimal mapPrice = money(r, ImportField.MAP_PRICE, false);
        if (mapPrice != null && msrp != null && mapPrice.compareTo(msrp) > 0) {
            throw new RowError("map price " + mapPrice + " is above the msrp " + msrp);
        }
        String currency = get(r, ImportField.CURRENCY);
        currency = currency == null ? defaultCurrency : currency.toUpperCase(Locale.ROOT);
        if (!CURRENCY.matcher(currency).matches()) {
            throw new RowError("currency '" + abbreviate(currency) + "' is not a three-letter code such as USD");
        }
        String status = status(get(r, ImportField.STATUS));
        List<String> images = images(get(r, ImportField.IMAGES));
        String category = get(r, ImportField.CATEGORY);
        if (category != null && category.length() > 200) {
            throw new RowError("category is longer than 200 characters");
        }
        Integer weight = weight(get(r, ImportField.WEIGHT));
        String shippingClass = get(r, ImportField.SHIPPING_CLASS);
        if (shippingClass != null && shippingClass.length() > 40) {
            throw new RowError("shippingClass is longer than 40 characters");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> a : mapping.attributeColumns().entrySet()) {
            String v = r.get(a.getKey()).strip();
            if (!v.isEmpty()) {
                attributes.put(a.getValue(), v.length() > 1000 ? v.substring(0, 1000) : v);
            }
            if (attributes.size() == 50) {
                break;
            }
        }
        return new ProductInput(
                sku,
                title,
                description,
                wholesale,
                shipping == null ? BigDecimal.ZERO.setScale(2) : shipping,
                currency,
                status,
                msrp,
                mapPrice,
                images,
                category,
                weight,
                shippingClass,
                attributes);
    }

    private String get(List<String> r, ImportField f) {
        Integer i = mapping.column(f);
        if (i == null) {
            return null;
        }
        String v = r.get(i).strip();
        return v.isEmpty() ? null : v;
    }

    private BigDecimal money(List<String> r, ImportField f, boolean required) throws RowError {
        String raw = get(r, f);
        if (raw == null) {
            if (required) {
                throw new RowError(f.apiName() + " is empty");
            }
            return null;
        }
        BigDecimal value = number(raw);
        if (value == null) {
            throw new RowError(f.apiName() + " '" + abbreviate(raw) + "' is not an amount");
        }
        if (value.signum() < 0) {
            throw new RowError(f.apiName() + " is negative");
        }
        if (value.precision() - value.scale() > 10) {
            throw new RowError(f.apiName() + " is too large");
        }
        return value.setScale(2, RoundingMode.HALF_UP);
    }

    /** "1,234.50", "1.234,50", "12,5", "$ 12.50", "12.50 EUR"; null when it is not a number. */
    static BigDecimal number(String raw) {
        if (plain(raw)) {
            // "12.50", "-3", "1234": what nearly every row holds, read without the patterns below (their matchers
            // were a sixth of what catalog-service allocated during an import)
            return new BigDecimal(raw);
        }
        String s = NOT_IN_NUMBER.matcher(raw).replaceAll("");
        if (s.isEmpty() || s.equals("-")) {
            return null;
        }
        int dot = s.lastIndexOf('.');
        int comma = s.lastIndexOf(',');
        if (dot >= 0 && comma >= 0) {
            // The later separator is the decimal one.
            s = dot > comma ? s.replace(",", "") : s.replace(".", "").replace(',', '.');
        } else if (comma >= 0) {
            // "12,5" or "12,50" is a decimal comma; "1,234" is a thousands separator.
            boolean thousands = THOUSANDS_COMMAS.matcher(s).matches();
            s = thousands ? s.replace(",", "") : s.replace(',', '.');
        } else if (dot >= 0 && THOUSANDS_DOTS.matcher(s).matches()) {
            s = s.replace(".", "");
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Digits with at most one dot and an optional leading minus: a number as BigDecimal reads it, as it is. */
    static boolean plain(String raw) {
        int n = raw.length();
        boolean digit = false;
        boolean dot = false;
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else if (!(c == '-' && i == 0)) {
                return false;
            }
        }
        return digit;
    }

    private static String status(String raw) throws RowError {
        if (raw == null) {
            return "ACTIVE";
        }
        String s = NOT_A_LETTER.matcher(raw.toUpperCase(Locale.ROOT)).replaceAll("");
        return switch (s) {
            case "ACTIVE", "INSTOCK", "AVAILABLE", "PUBLISHED", "YES", "TRUE", "1" -> "ACTIVE";
            case "OUTOFSTOCK", "SOLDOUT", "UNAVAILABLE", "BACKORDER", "ONBACKORDER" -> "OUT_OF_STOCK";
            case "DISCONTINUED", "INACTIVE", "ARCHIVED", "DELETED", "NO", "FALSE", "0" -> "DISCONTINUED";
            default ->
                throw new RowError("status '" + abbreviate(raw) + "' is not ACTIVE, OUT_OF_STOCK or DISCONTINUED");
        };
    }

    /**
     * The image URLs of a cell, split where {@code [|\s,;]+} splits it and each checked as {@code https?://\S{1,990}}
     * would check it, without either pattern: every row of an import has images, and splitting and matching them was
     * 4.8 % of catalog-service's CPU in an import. A part holds no whitespace once split, so the check is its scheme
     * and its length.
     */
    static List<String> images(String raw) throws RowError {
        if (raw == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int n = raw.length();
        int i = 0;
        while (i < n) {
            while (i < n && imageSeparator(raw.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !imageSeparator(raw.charAt(i))) {
                i++;
            }
            if (i > start) {
                String part = raw.substring(start, i);
                int scheme = part.startsWith("https://") ? 8 : part.startsWith("http://") ? 7 : 0;
                int rest = part.length() - scheme;
                if (scheme == 0 || rest < 1 || rest > 990) {
                    throw new RowError("image '" + abbreviate(part) + "' is not an http(s) URL");
                }
                out.add(part);
            }
        }
        if (out.size() > 10) {
            throw new RowError("has " + out.size() + " images; at most 10");
        }
        return out;
    }

    /** What {@code [|\s,;]} matches: the separators and the characters {@code \s} means without Unicode classes. */
    private static boolean imageSeparator(char c) {
        return c == '|' || c == ',' || c == ';' || c == ' ' || (c >= '\t' && c <= '\r');
    }

    private Integer weight(String raw) throws RowError {
        if (raw == null) {
            return null;
        }
        Matcher m = WEIGHT.matcher(raw);
        BigDecimal n = m.matches() ? number(m.group(1)) : null;
        if (n == null || n.signum() < 0) {
            throw new RowError("weight '" + abbreviate(raw) + "' is not a weight");
        }
        double unit = m.group(2) == null
                ? weightUnitInGrams
                : unit(m.group(2).toLowerCase(Locale.ROOT).replace("grams", "g"));
        long grams = Math.round(n.doubleValue() * unit);
        if (grams > 1_000_000) {
            throw new RowError("weight is above 1,000 kg");
        }
        return (int) grams;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
