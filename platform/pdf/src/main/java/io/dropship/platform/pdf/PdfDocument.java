package io.dropship.platform.pdf;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.GregorianCalendar;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * A branded A4 document written top to bottom (Apache PDFBox): each page opens with a bar in the brand's colour, text
 * is set in DejaVu Sans (embedded, subset: Latin, Greek and Cyrillic; a character it cannot show, CJK for one, prints
 * as '?'), and a line that does not fit on the page starts the next one. The invoices and the packing slips are
 * written with it.
 */
public final class PdfDocument implements AutoCloseable {

    private static final String FONTS = "/net/sf/jasperreports/fonts/dejavu/";
    public static final float MARGIN = 50;
    public static final float WIDTH = PDRectangle.A4.getWidth();

    /** A callback that writes something (a table's header) at the top of each new page. */
    public interface PageStart {
        void write(PdfDocument doc) throws IOException;
    }

    private final PDDocument doc = new PDDocument();
    private final Color accent;
    public final PDFont regular;
    public final PDFont bold;
    private PDPageContentStream page;
    private float y;

    /** accent: the brand's colour as #RRGGBB, or null for the platform's blue. */
    public PdfDocument(String title, String author, String creator, Instant created, String accent) throws IOException {
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle(title);
        info.setAuthor(author);
        info.setCreator(creator);
        info.setCreationDate(GregorianCalendar.from(created.atZone(ZoneOffset.UTC)));
        this.regular = font("DejaVuSans.ttf");
        this.bold = font("DejaVuSans-Bold.ttf");
        this.accent = Color.decode(accent == null ? "#1F4E79" : accent);
        newPage();
    }

    public Color accent() {
        return accent;
    }

    /** How far down the page the next line goes. */
    public float y() {
        return y;
    }

    /** Moves down by {@code by} points. */
    public void down(float by) {
        y -= by;
    }

    /** A new page unless {@code room} points are left above the bottom margin; then {@code start} writes its top. */
    public void ensureRoom(float room, PageStart start) throws IOException {
        if (y - room < MARGIN + 40) {
            newPage();
            if (start != null) {
                start.write(this);
            }
        }
    }

    public void newPage() throws IOException {
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

    /** One line of text at x, on the current line. */
    public void text(PDFont font, float size, float x, String s, Color color) throws IOException {
        if (s == null || s.isEmpty()) {
            return;
        }
        page.beginText();
        page.setFont(font, size);
        page.setNonStrokingColor(color);
        page.newLineAtOffset(x, y);
        page.showText(printable(font, s));
        page.endText();
    }

    /** A thin grey rule across the page at the current line. */
    public void rule() throws IOException {
        page.setStrokingColor(Color.LIGHT_GRAY);
        page.moveTo(MARGIN, y);
        page.lineTo(WIDTH - MARGIN, y);
        page.stroke();
    }

    /** At most {@code max} characters, the rest marked with an ellipsis. */
    public static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    public byte[] bytes() throws IOException {
        page.close();
        page = null;
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Override
    public void close() throws IOException {
        if (page != null) {
            page.close();
        }
        doc.close();
    }

    private PDFont font(String name) throws IOException {
        try (InputStream in = PdfDocument.class.getResourceAsStream(FONTS + name)) {
            if (in == null) {
                throw new IOException("font " + name + " is not on the classpath (jasperreports-fonts)");
            }
            return PDType0Font.load(doc, in, true);
        }
    }

    /** What the font can show: anything else becomes '?'. */
    private static String printable(PDFont font, String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            String c = new String(Character.toChars(cp));
            try {
                font.encode(c);
                out.append(c);
            } catch (IllegalArgumentException | IOException e) {
                out.append('?');
            }
        });
        return out.toString();
    }
}
