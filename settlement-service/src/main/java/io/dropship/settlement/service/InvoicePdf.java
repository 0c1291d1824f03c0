package io.dropship.settlement.service;

import io.dropship.settlement.rest.InvoiceResource.Branding;
import io.dropship.settlement.rest.InvoiceResource.Invoice;
import io.dropship.settlement.rest.InvoiceResource.InvoiceLine;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;

/**
 * The retailer's invoice as a PDF (Apache PDFBox), in the retailer's branding: its business name in its colour, its
 * address and tax id, its footer; then the order, a line per supplier order (wholesale, shipping, platform fee, tax
 * where given, total) and what was paid and refunded. A4, in DejaVu Sans (embedded, subset), which covers Latin,
 * Greek and Cyrillic scripts; characters it cannot show (CJK, for one) are printed as '?'. Lines flow onto further pages.
 */
public final class InvoicePdf {

    private static final String FONTS = "/net/sf/jasperreports/fonts/dejavu/";
    private static final float MARGIN = 50;
    private static final float[] COLUMNS = {MARGIN, 190, 280, 360, 440, 500};
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy").withZone(ZoneOffset.UTC);

    private InvoicePdf() {
    }

    public static byte[] render(Invoice invoice) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Branding b = invoice.branding();
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("Invoice " + invoice.orderNumber());
            info.setAuthor(b == null ? invoice.retailerId() : b.businessName());
            info.setCreator("Dropship settlement-service");
            Calendar created = GregorianCalendar.from(invoice.issuedAt().atZone(ZoneOffset.UTC));
            info.setCreationDate(created);
            new Writer(doc, invoice).write();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Writer {
        private final PDDocument doc;
        private final Invoice invoice;
        private final Color accent;
        private final PDFont regular;
        private final PDFont bold;
        private PDPageContentStream page;
        private float y;

        Writer(PDDocument doc, Invoice invoice) throws IOException {
            this.doc = doc;
            this.regular = font(doc, "DejaVuSans.ttf");
            this.bold = font(doc, "DejaVuSans-Bold.ttf");
            this.invoice = invoice;
            this.accent = Color.decode(invoice.branding() == null ? "#1F4E79" : invoice.branding().accentColor());
        }

        void write() throws IOException {
            newPage();
            Branding b = invoice.branding();
            text(bold, 20, MARGIN, b == null ? invoice.retailerId() : b.businessName(), accent);
            y -= 18;
            if (b != null) {
                for (String line : b.addressLines()) {
                    text(regular, 10, MARGIN, line, Color.DARK_GRAY);
                    y -= 13;
                }
                if (b.taxId() != null) {
                    text(regular, 10, MARGIN, "Tax id: " + b.taxId(), Color.DARK_GRAY);
                    y -= 13;
                }
            }
            y -= 14;
            text(bold, 14, MARGIN, "Invoice " + invoice.orderNumber(), Color.BLACK);
            y -= 16;
            text(regular, 10, MARGIN, "Order " + invoice.orderId() + ", issued " + DATE.format(invoice.issuedAt())
                    + ", amounts in " + invoice.currency(), Color.DARK_GRAY);
            y -= 26;
            header();
            for (InvoiceLine l : invoice.lines()) {
                if (y < 120) {
                    newPage();
                    header();
                }
                row(regular, l.supplierId() + (l.status().equals("CANCELLED") ? " (cancelled)" : ""), l.wholesaleTotal(),
                        l.shippingCost(), l.platformFee(), l.tax(), l.retailerCharge());
            }
            y -= 4;
            rule();
            y -= 14;
            row(bold, "Total", null, null, null, null, invoice.total());
            if (invoice.refunded().signum() > 0) {
                row(regular, "Refunded", null, null, null, null, invoice.refunded().negate());
                row(bold, "Net", null, null, null, null, invoice.total().subtract(invoice.refunded()));
            }
            y -= 16;
            text(regular, 10, MARGIN, "Payment: " + invoice.paymentStatus(), Color.DARK_GRAY);
            y -= 30;
            if (b != null && b.footer() != null) {
                text(regular, 9, MARGIN, b.footer(), Color.GRAY);
            }
            page.close();
        }

        private void newPage() throws IOException {
            if (page != null) {
                page.close();
            }
            PDPage p = new PDPage(PDRectangle.A4);
            doc.addPage(p);
            page = new PDPageContentStream(doc, p);
            y = p.getMediaBox().getHeight() - MARGIN;
            page.setNonStrokingColor(accent);
            page.addRect(0, p.getMediaBox().getHeight() - 8, p.getMediaBox().getWidth(), 8);
            page.fill();
        }

        private void header() throws IOException {
            String[] titles = {"Supplier order", "Wholesale", "Shipping", "Platform fee", "Tax", "Total"};
            for (int i = 0; i < titles.length; i++) {
                text(bold, 9, COLUMNS[i], titles[i], accent);
            }
            y -= 6;
            rule();
            y -= 14;
        }

        private void row(PDFont font, String label, BigDecimal w, BigDecimal s, BigDecimal fee, BigDecimal tax,
                         BigDecimal total) throws IOException {
            text(font, 10, COLUMNS[0], label.length() > 26 ? label.substring(0, 25) + "…" : label, Color.BLACK);
            BigDecimal[] amounts = {w, s, fee, tax, total};
            for (int i = 0; i < amounts.length; i++) {
                if (amounts[i] != null) {
                    text(font, 10, COLUMNS[i + 1], amounts[i].toPlainString(), Color.BLACK);
                }
            }
            y -= 15;
        }

        private void rule() throws IOException {
            page.setStrokingColor(Color.LIGHT_GRAY);
            page.moveTo(MARGIN, y);
            page.lineTo(PDRectangle.A4.getWidth() - MARGIN, y);
            page.stroke();
        }

        private void text(PDFont font, float size, float x, String s, Color color) throws IOException {
            page.beginText();
            page.setFont(font, size);
            page.setNonStrokingColor(color);
            page.newLineAtOffset(x, y);
            page.showText(printable(font, s));
            page.endText();
        }

        private static PDFont font(PDDocument doc, String name) throws IOException {
            try (InputStream in = InvoicePdf.class.getResourceAsStream(FONTS + name)) {
                if (in == null) {
                    throw new IOException("font " + name + " is not on the classpath (jasperreports-fonts)");
                }
                return PDType0Font.load(doc, in, true);
            }
        }

        /** What the font can show: anything else becomes '?'. */
        private static String printable(PDFont font, String s) {
            StringBuilder out = new StringBuilder();
            List<Integer> points = new ArrayList<>();
            s.codePoints().forEach(points::add);
            for (int cp : points) {
                String c = new String(Character.toChars(cp));
                try {
                    font.encode(c);
                    out.append(c);
                } catch (IllegalArgumentException | IOException e) {
                    out.append('?');
                }
            }
            return out.toString();
        }
    }
}
