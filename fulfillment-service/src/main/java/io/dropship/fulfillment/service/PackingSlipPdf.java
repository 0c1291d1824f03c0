package io.dropship.fulfillment.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.platform.pdf.PdfDocument;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The packing slip the supplier prints and puts in the parcel, in the retailer's name ({@link PdfDocument}): the
 * retailer's business name in its colour and its address (where a return goes), the customer's name and address, the
 * order's number, and the lines (SKU, title, quantity) without prices; the retailer's footer at the end. A retailer
 * without branding is named by its id.
 */
public final class PackingSlipPdf {

    /** The retailer's branding, as RetailerBrandingChanged brought it; null fields print nothing. */
    public record Branding(String businessName, List<String> addressLines, String accentColor, String footer) {}

    public record Slip(
            String orderNumber,
            String storeOrderId,
            String retailerId,
            Branding branding,
            JsonNode shippingAddress,
            JsonNode lines,
            Instant receivedAt) {}

    private static final float[] COLUMNS = {PdfDocument.MARGIN, 170, 500};
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("d MMM yyyy").withZone(ZoneOffset.UTC);

    private PackingSlipPdf() {}

    public static byte[] render(Slip slip) {
        Branding b = slip.branding();
        String sender = b == null ? slip.retailerId() : b.businessName();
        try (PdfDocument doc = new PdfDocument(
                "Packing slip " + slip.orderNumber(),
                sender,
                "Dropship fulfillment-service",
                slip.receivedAt(),
                b == null ? null : b.accentColor())) {
            float m = PdfDocument.MARGIN;
            doc.text(doc.bold, 20, m, sender, doc.accent());
            doc.down(18);
            if (b != null) {
                for (String line : b.addressLines()) {
                    doc.text(doc.regular, 10, m, line, Color.DARK_GRAY);
                    doc.down(13);
                }
            }
            doc.down(14);
            doc.text(doc.bold, 14, m, "Packing slip", Color.BLACK);
            doc.down(16);
            doc.text(
                    doc.regular,
                    10,
                    m,
                    "Order " + slip.orderNumber()
                            + (slip.storeOrderId() == null ? "" : " (store order " + slip.storeOrderId() + ")")
                            + ", " + DATE.format(slip.receivedAt()),
                    Color.DARK_GRAY);
            doc.down(26);
            doc.text(doc.bold, 10, m, "Ship to", doc.accent());
            doc.down(14);
            for (String line : address(slip.shippingAddress())) {
                doc.text(doc.regular, 11, m, line, Color.BLACK);
                doc.down(14);
            }
            doc.down(16);
            header(doc);
            for (JsonNode l : slip.lines()) {
                doc.ensureRoom(40, PackingSlipPdf::header);
                doc.text(
                        doc.regular,
                        10,
                        COLUMNS[0],
                        PdfDocument.fit(l.path("sku").asText(""), 20),
                        Color.BLACK);
                doc.text(
                        doc.regular,
                        10,
                        COLUMNS[1],
                        PdfDocument.fit(l.path("title").asText(""), 55),
                        Color.BLACK);
                doc.text(
                        doc.bold,
                        10,
                        COLUMNS[2],
                        String.valueOf(l.path("quantity").asInt()),
                        Color.BLACK);
                doc.down(15);
            }
            doc.down(4);
            doc.rule();
            doc.down(30);
            if (b != null && b.footer() != null) {
                doc.text(doc.regular, 9, m, b.footer(), Color.GRAY);
            }
            return doc.bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void header(PdfDocument doc) throws IOException {
        String[] titles = {"SKU", "Item", "Quantity"};
        for (int i = 0; i < titles.length; i++) {
            doc.text(doc.bold, 9, COLUMNS[i], titles[i], doc.accent());
        }
        doc.down(6);
        doc.rule();
        doc.down(14);
    }

    /** The address as it is written on a parcel; a redacted address keeps its country only. */
    static List<String> address(JsonNode a) {
        List<String> lines = new ArrayList<>();
        if (a == null || a.isNull()) {
            return lines;
        }
        for (String field : List.of("name", "company", "line1", "line2")) {
            String v = a.path(field).asText(null);
            if (v != null && !v.isBlank()) {
                lines.add(v);
            }
        }
        String city = String.join(
                " ",
                java.util.stream.Stream.of(
                                a.path("postalCode").asText(null),
                                a.path("city").asText(null),
                                a.path("region").asText(null))
                        .filter(v -> v != null && !v.isBlank())
                        .toList());
        if (!city.isBlank()) {
            lines.add(city);
        }
        String country = a.path("country").asText(null);
        if (country != null && !country.isBlank()) {
            lines.add(country);
        }
        return lines;
    }
}
