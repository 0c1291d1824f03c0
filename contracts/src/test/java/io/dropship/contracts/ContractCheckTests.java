package io.dropship.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ContractCheckTests {

    static List<String> events() {
        return ContractCheck.EVENTS;
    }

    @org.junit.jupiter.api.Test
    void everySchemaInTheEventsFolderIsAKnownEvent() throws Exception {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("events"))) {
            List<String> schemas = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".schema.json"))
                    .map(n -> n.substring(0, n.length() - ".schema.json".length()))
                    .sorted()
                    .toList();
            assertEquals(schemas, ContractCheck.EVENTS.stream().sorted().toList());
        }
    }

    @ParameterizedTest
    @MethodSource("events")
    void everyExampleMatchesItsSchema(String event) {
        assertEquals(List.of(), ContractCheck.problems(event, ContractCheck.example(event)));
    }

    @ParameterizedTest
    @MethodSource("events")
    void aPayloadMissingARequiredFieldIsRejected(String event) throws Exception {
        ObjectNode example = (ObjectNode) new ObjectMapper().readTree(ContractCheck.example(event));
        String firstField = example.fieldNames().next();
        example.remove(firstField);
        List<String> problems = ContractCheck.problems(event, example.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains(firstField)), problems.toString());
        assertThrows(AssertionError.class, () -> ContractCheck.assertValid(event, example.toString()));
    }

    @ParameterizedTest
    @MethodSource("events")
    void aMalformedMoneyOrDateIsRejected(String event) throws Exception {
        ObjectNode example = (ObjectNode) new ObjectMapper().readTree(ContractCheck.example(event));
        String dateField = example.properties().stream()
                .map(java.util.Map.Entry::getKey)
                .filter(k -> k.endsWith("At"))
                .filter(k -> !example.get(k).isNull())
                .reduce((a, b) -> b)
                .orElseThrow();
        example.put(dateField, "yesterday");
        assertTrue(!ContractCheck.problems(event, example.toString()).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("events")
    void textThatIsNotJsonIsRejected(String event) {
        assertTrue(ContractCheck.problems(event, "{not json").get(0).startsWith("not JSON"));
    }

    @org.junit.jupiter.api.Test
    void aBatchsProductsAreHeldToTheSingleProductsContract() throws Exception {
        ObjectNode batch = (ObjectNode) new ObjectMapper().readTree(ContractCheck.example("SupplierProductsChanged"));
        ((ObjectNode) batch.withArray("products").get(1)).put("wholesalePrice", "six");
        List<String> problems = ContractCheck.problems("SupplierProductsChanged", batch.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("wholesalePrice")), problems.toString());
        ((ObjectNode) batch.withArray("products").get(1)).remove("wholesalePrice");
        assertTrue(ContractCheck.problems("SupplierProductsChanged", batch.toString()).stream()
                .anyMatch(p -> p.contains("wholesalePrice")));
    }

    @org.junit.jupiter.api.Test
    void aBatchsProductSchemaIsTheSingleProductsSchema() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var single = json.readTree(java.nio.file.Path.of("events", "SupplierProductChanged.schema.json")
                .toFile());
        var item = json.readTree(java.nio.file.Path.of("events", "SupplierProductsChanged.schema.json")
                        .toFile())
                .at("/properties/products/items");
        assertEquals(single.get("required"), item.get("required"));
        assertEquals(single.get("properties"), item.get("properties"));
    }

    @org.junit.jupiter.api.Test
    void anEventCarriedOnAnotherTopicIsNotATopic() {
        assertTrue(ContractCheck.EVENTS.containsAll(ContractCheck.CARRIED_ON.keySet()));
        assertTrue(ContractCheck.TOPICS.containsAll(ContractCheck.CARRIED_ON.values()));
        assertTrue(ContractCheck.TOPICS.stream().noneMatch(ContractCheck.CARRIED_ON::containsKey));
    }
}
