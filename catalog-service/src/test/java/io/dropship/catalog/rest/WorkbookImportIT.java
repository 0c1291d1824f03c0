package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * Catalogs from Excel workbooks (.xlsx), as suppliers save them: typed cells (numbers in a currency format, numeric
 * SKUs, empty cells left out of the sheet), the same column mapping and row errors as CSV, read with POI's streaming
 * reader. The workbooks are written here with POI's streaming writer.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class WorkbookImportIT {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    static byte[] workbook(Consumer<SXSSFWorkbook> fill) throws Exception {
        try (SXSSFWorkbook wb = new SXSSFWorkbook(100);
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            fill.accept(wb);
            wb.write(out);
            return out.toByteArray();
        }
    }

    static void row(Sheet sheet, int index, Object... cells) {
        Row row = sheet.createRow(index);
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == null) {
                continue; // no cell at all, as Excel keeps an empty one
            }
            Cell cell = row.createCell(i);
            if (cells[i] instanceof Number n) {
                cell.setCellValue(n.doubleValue());
            } else {
                cell.setCellValue(cells[i].toString());
            }
        }
    }

    static Response upload(String supplier, byte[] xlsx, String query) {
        return given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(XLSX)
                .body(xlsx)
                .post("/api/supplier/imports" + query);
    }

    @Test
    void aWorkbookImportsWithTypedCellsTheSameMappingAndRowErrors() throws Exception {
        String s = SupplierOnboardingIT.activeSupplier();
        byte[] xlsx = workbook(wb -> {
            Sheet sheet = wb.createSheet("Catalog");
            CellStyle money = wb.createCellStyle();
            money.setDataFormat(wb.createDataFormat().getFormat("\"$\"#,##0.00"));
            row(sheet, 0, "Item Number", "Product Name", "Cost", "RRP", "Weight (kg)", "Colour");
            row(sheet, 1, "XL-1", "Stoneware Mug", 4.5, 12.99, 0.35, "sage");
            sheet.getRow(1).getCell(2).setCellStyle(money); // shown as $4.50, read as 4.5
            row(sheet, 2, 100234, "Numbered Bowl", 1234.5, null, null, null); // a numeric SKU; trailing cells left out
            row(sheet, 4, "XL-3", null, 3, null, null, "red"); // row 5: no title (row 4 is empty and skipped)
            row(sheet, 5, "XL-4", "Bad price", "three"); // row 6
        });
        upload(s, xlsx, "?currency=EUR&fileName=catalog.xlsx")
                .then()
                .statusCode(201)
                .body("state", equalTo("COMPLETED"))
                .body("format", equalTo("XLSX"))
                .body("delimiter", nullValue())
                .body("fileName", equalTo("catalog.xlsx"))
                .body("rowsRead", equalTo(4))
                .body("rowsChanged", equalTo(2))
                .body("rowsRejected", equalTo(2))
                .body("mapping.sku", equalTo("Item Number"))
                .body("mapping.wholesalePrice", equalTo("Cost"))
                .body("firstErrors.line", contains(5, 6))
                .body("firstErrors[0].reason", containsString("title is empty"))
                .body("firstErrors[1].reason", containsString("wholesalePrice 'three' is not an amount"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products/XL-1")
                .then()
                .statusCode(200)
                .body("title", equalTo("Stoneware Mug"))
                .body("wholesalePrice", equalTo("4.50"))
                .body("msrp", equalTo("12.99"))
                .body("currency", equalTo("EUR"))
                .body("weightGrams", equalTo(350))
                .body("attributes.Colour", equalTo("sage"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products/100234")
                .then()
                .statusCode(200)
                .body("title", equalTo("Numbered Bowl"))
                .body("wholesalePrice", equalTo("1234.50"));

        // The same workbook again changes nothing; a CSV import still says CSV.
        upload(s, xlsx, "?currency=EUR")
                .then()
                .statusCode(201)
                .body("rowsChanged", equalTo(0))
                .body("rowsUnchanged", equalTo(2));
        ImportIT.upload(s, "sku,title,cost\nXL-9,From CSV,1.00\n", "")
                .then()
                .statusCode(201)
                .body("format", equalTo("CSV"))
                .body("delimiter", equalTo(","));
    }

    @Test
    void aLargeWorkbookIsStreamedInBatches() throws Exception {
        String s = SupplierOnboardingIT.activeSupplier();
        int rows = 5_000;
        byte[] xlsx = workbook(wb -> {
            Sheet sheet = wb.createSheet();
            row(sheet, 0, "sku", "title", "wholesale price", "description");
            for (int i = 1; i <= rows; i++) {
                row(sheet, i, "BIG-" + i, "Product " + i, 1 + i / 100.0, "x".repeat(200));
            }
        });
        upload(s, xlsx, "")
                .then()
                .statusCode(201)
                .body("rowsRead", equalTo(rows))
                .body("rowsChanged", equalTo(rows));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products/BIG-4321")
                .then()
                .statusCode(200)
                .body("wholesalePrice", equalTo("44.21"));
    }

    @Test
    void aWorkbookThatCannotBeReadIsRefusedWithAReason() throws Exception {
        String s = SupplierOnboardingIT.activeSupplier();
        byte[] good = workbook(wb -> row(wb.createSheet(), 0, "sku", "title", "cost"));
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        upload(s, truncated, "").then().statusCode(400).body("detail", containsString("not an Excel workbook"));
        byte[] zipNotWorkbook = {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0};
        upload(s, zipNotWorkbook, "").then().statusCode(400).body("detail", containsString("not an Excel workbook"));
        upload(s, workbook(wb -> wb.createSheet("Empty")), "")
                .then()
                .statusCode(400)
                .body("detail", containsString("empty"));
        upload(s, workbook(wb -> row(wb.createSheet(), 0, "name", "colour")), "")
                .then()
                .statusCode(400)
                .body("detail", containsString("no column found for sku"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/imports")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
    }
}
