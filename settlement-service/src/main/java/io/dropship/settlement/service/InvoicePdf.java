package io.dropship.settlement.service;

import io.dropship.platform.pdf.PdfDocument;
import io.dropship.settlement.service.Invoices.Branding;
import io.dropship.settlement.service.Invoices.Invoice;
import io.dropship.settlement.service.Invoices.InvoiceLine;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * The retailer's invoice as a PDF ({@link PdfDocument}), in the retailer's branding: its business name in its colour,
 * its address and tax id, its footer; then the order, a line per supplier order (wholesale, shipping, platform fee, tax
 * where given, total) and what was paid and refunded. Lines flow onto further pages.
 */
public final class InvoicePdf {

    private static final float[] COLUMNS = {PdfDocument.MARGIN, 190, 280, 360, 440, 500};
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("d MMM yyyy").withZone(ZoneOffset.UTC);

    private InvoicePdf() {}

    public static byte[] render(Invoice invoice) {
        Branding b = invoice.branding();
        try (PdfDocument doc = new PdfDocument(
                "Invoice " + invoice.orderNumber(),
                b == null ? invoice.retailerId() : b.businessName(),
                "Dropship settlement-service",
                invoice.issuedAt(),
                b == null ? null : b.accentColor())) {
            write(doc, invoice);
            return doc.bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(PdfDocument doc, Invoice invoice) throws IOException {
        Branding b = invoice.branding();
        float m = PdfDocument.MARGIN;
        doc.text(doc.bold, 20, m, b == null ? invoice.retailerId() : b.businessName(), doc.accent());
        doc.down(18);
        if (b != null) {
            for (String line : b.addressLines()) {
                doc.text(doc.regular, 10, m, line, Color.DARK_GRAY);
                doc.down(13);
            }
            if (b.taxId() != null) {
                doc.text(doc.regular, 10, m, "Tax id: " + b.taxId(), Color.DARK_GRAY);
                doc.down(13);
            }
        }
        doc.down(14);
        doc.text(doc.bold, 14, m, "Invoice " + invoice.orderNumber(), Color.BLACK);
        doc.down(16);
        doc.text(
                doc.regular,
                10,
                m,
                "Order " + invoice.orderId() + ", issued " + DATE.format(invoice.issuedAt()) + ", amounts in "
                        + invoice.currency(),
                Color.DARK_GRAY);
        doc.down(26);
        header(doc);
        for (InvoiceLine l : invoice.lines()) {
            doc.ensureRoom(70, InvoicePdf::header);
            row(
                    doc,
                    doc.regular,
                    l.supplierId() + (l.status().equals("CANCELLED") ? " (cancelled)" : ""),
                    l.wholesaleTotal(),
                    l.shippingCost(),
                    l.platformFee(),
                    l.tax(),
                    l.retailerCharge());
        }
        doc.down(4);
        doc.rule();
        doc.down(14);
        row(doc, doc.bold, "Total", null, null, null, null, invoice.total());
        if (invoice.refunded().signum() > 0) {
            row(
                    doc,
                    doc.regular,
                    "Refunded",
                    null,
                    null,
                    null,
                    null,
                    invoice.refunded().negate());
            row(doc, doc.bold, "Net", null, null, null, null, invoice.total().subtract(invoice.refunded()));
        }
        doc.down(16);
        doc.text(doc.regular, 10, m, "Payment: " + invoice.paymentStatus(), Color.DARK_GRAY);
        doc.down(30);
        if (b != null && b.footer() != null) {
            doc.text(doc.regular, 9, m, b.footer(), Color.GRAY);
        }
    }

    private static void header(PdfDocument doc) throws IOException {
        String[] titles = {"Supplier order", "Wholesale", "Shipping", "Platform fee", "Tax", "Total"};
        for (int i = 0; i < titles.length; i++) {
            doc.text(doc.bold, 9, COLUMNS[i], titles[i], doc.accent());
        }
        doc.down(6);
        doc.rule();
        doc.down(14);
    }

    private static void row(
            PdfDocument doc,
            PDFont font,
            String label,
            BigDecimal w,
            BigDecimal s,
            BigDecimal fee,
            BigDecimal tax,
            BigDecimal total)
            throws IOException {
        doc.text(font, 10, COLUMNS[0], PdfDocument.fit(label, 26), Color.BLACK);
        BigDecimal[] amounts = {w, s, fee, tax, total};
        for (int i = 0; i < amounts.length; i++) {
            if (amounts[i] != null) {
                doc.text(font, 10, COLUMNS[i + 1], amounts[i].toPlainString(), Color.BLACK);
            }
        }
        doc.down(15);
    }
}
