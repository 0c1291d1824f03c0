package io.dropship.catalog.imports;

import java.util.List;
import java.util.Locale;

/** The product fields an import file can fill, each with the column names suppliers' systems commonly use for it. */
public enum ImportField {
    SKU(
            true,
            "sku",
            "item sku",
            "variant sku",
            "product code",
            "item code",
            "item number",
            "item no",
            "article number",
            "part number",
            "mpn",
            "code",
            "id"),
    TITLE(true, "title", "name", "product name", "product title", "item name", "short description"),
    DESCRIPTION(
            false,
            "description",
            "long description",
            "body",
            "body html",
            "body (html)",
            "details",
            "product description"),
    WHOLESALE_PRICE(
            true,
            "wholesale price",
            "wholesale",
            "cost",
            "cost price",
            "unit cost",
            "unit price",
            "dealer price",
            "trade price",
            "net price",
            "price",
            "your price",
            "b2b price"),
    SHIPPING_COST(false, "shipping cost", "shipping", "shipping price", "freight", "delivery cost", "postage"),
    CURRENCY(false, "currency", "currency code", "ccy"),
    STATUS(false, "status", "availability", "state", "product status"),
    MSRP(false, "msrp", "rrp", "srp", "retail price", "list price", "compare at price", "recommended retail price"),
    MAP_PRICE(false, "map", "map price", "minimum advertised price", "umap", "min advertised price"),
    IMAGES(
            false,
            "images",
            "image",
            "image url",
            "image urls",
            "image src",
            "picture",
            "pictures",
            "photo",
            "main image"),
    CATEGORY(false, "category", "categories", "product type", "product category", "collection"),
    WEIGHT(
            false,
            "weight",
            "weight grams",
            "weight (g)",
            "weight g",
            "grams",
            "weight kg",
            "weight (kg)",
            "weight lb",
            "weight (lb)",
            "weight lbs",
            "weight oz",
            "weight (oz)",
            "shipping weight"),
    SHIPPING_CLASS(false, "shipping class", "shipping profile", "shipping group", "parcel class");

    public final boolean required;
    private final List<String> synonyms;

    ImportField(boolean required, String... synonyms) {
        this.required = required;
        this.synonyms = List.of(synonyms);
    }

    /** The name used in the API and in explicit mappings, for example {@code wholesalePrice}. */
    public String apiName() {
        String[] parts = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return b.toString();
    }

    public List<String> synonyms() {
        return synonyms;
    }

    public boolean matches(String header) {
        String h = normalise(header);
        return normalise(apiName()).equals(h)
                || synonyms.stream().anyMatch(s -> normalise(s).equals(h));
    }

    public static ImportField byApiName(String name) {
        for (ImportField f : values()) {
            if (f.apiName().equalsIgnoreCase(name) || f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }

    /** "Wholesale Price", "wholesale_price" and "WHOLESALE-PRICE" are the same column name. */
    static String normalise(String header) {
        return header.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
