package io.dropship.catalog.imports;

import io.dropship.platform.web.ProblemException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which column of the file fills which product field. Columns map by name and synonyms; the supplier's explicit
 * mapping wins. Every other column becomes a product attribute named by its header ("attr:" or "attribute_"
 * prefixes are dropped), so colour, size or material columns are kept without configuration.
 */
public final class ColumnMapping {

    private final Map<ImportField, Integer> fields;
    private final Map<Integer, String> attributes;
    private final List<String> headers;

    private ColumnMapping(List<String> headers, Map<ImportField, Integer> fields, Map<Integer, String> attributes) {
        this.headers = headers;
        this.fields = fields;
        this.attributes = attributes;
    }

    /**
     * @param explicit field api name to header, for example {@code wholesalePrice -> "Our Cost"}
     */
    public static ColumnMapping of(List<String> headers, Map<String, String> explicit) {
        List<String> clean =
                headers.stream().map(h -> h == null ? "" : h.strip()).toList();
        Set<String> seen = new HashSet<>();
        for (String h : clean) {
            if (!h.isEmpty() && !seen.add(h.toLowerCase(Locale.ROOT))) {
                throw ProblemException.badRequest("the header names column '" + h + "' twice");
            }
        }
        Map<ImportField, Integer> fields = new EnumMap<>(ImportField.class);
        Set<Integer> taken = new HashSet<>();
        explicit.forEach((fieldName, header) -> {
            ImportField f = ImportField.byApiName(fieldName);
            if (f == null) {
                throw ProblemException.badRequest("map: there is no field '" + fieldName + "'; fields are "
                        + String.join(
                                ", ",
                                java.util.Arrays.stream(ImportField.values())
                                        .map(ImportField::apiName)
                                        .toList()));
            }
            int index = indexOf(clean, header);
            if (index < 0) {
                throw ProblemException.badRequest("map: the file has no column '" + header + "' for " + fieldName
                        + "; its columns are " + String.join(", ", clean));
            }
            fields.put(f, index);
            taken.add(index);
        });
        // By name first, then by synonyms in the order each field lists them (the first synonym is the best).
        for (ImportField f : ImportField.values()) {
            if (fields.containsKey(f)) {
                continue;
            }
            List<String> names = new ArrayList<>();
            names.add(f.apiName());
            names.addAll(f.synonyms());
            for (String name : names) {
                int index = indexOfNormalised(clean, name, taken);
                if (index >= 0) {
                    fields.put(f, index);
                    taken.add(index);
                    break;
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (ImportField f : ImportField.values()) {
            if (f.required && !fields.containsKey(f)) {
                missing.add(f.apiName());
            }
        }
        if (!missing.isEmpty()) {
            throw ProblemException.badRequest("no column found for " + String.join(", ", missing)
                    + "; the file's columns are " + String.join(", ", clean)
                    + ". Name them in the header or map them, for example map=wholesalePrice:Our Cost");
        }
        Map<Integer, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < clean.size(); i++) {
            if (!taken.contains(i) && !clean.get(i).isEmpty()) {
                attributes.put(i, clean.get(i).replaceFirst("(?i)^(attr|attribute)[:_ .-]+", ""));
            }
        }
        return new ColumnMapping(clean, fields, attributes);
    }

    private static int indexOf(List<String> headers, String header) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).equalsIgnoreCase(header.strip())) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfNormalised(List<String> headers, String name, Set<Integer> taken) {
        String wanted = ImportField.normalise(name);
        for (int i = 0; i < headers.size(); i++) {
            if (!taken.contains(i) && ImportField.normalise(headers.get(i)).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    public Integer column(ImportField f) {
        return fields.get(f);
    }

    public String header(ImportField f) {
        Integer i = fields.get(f);
        return i == null ? null : headers.get(i);
    }

    public Map<Integer, String> attributeColumns() {
        return attributes;
    }

    public int width() {
        return headers.size();
    }

    /** field api name to header, then the attribute columns, for the report. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((f, i) -> out.put(f.apiName(), headers.get(i)));
        attributes.forEach((i, name) -> out.put("attributes." + name, headers.get(i)));
        return out;
    }
}
