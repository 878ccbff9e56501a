package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fnwatch.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * No parser throws, whatever shape a field takes: every node of every golden input is in turn removed, set to
 * null, to each JSON type, and (for strings) to the prefixes the line parsers look for. A parser that throws is
 * caught by {@link LogParser} and dead-lettered as a parser failure; this suite fails on any such dead letter, so
 * that a null or a wrong type is handled as a bad input with its own reason, never by the safety net.
 */
class ParsersNeverThrowTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Values each node takes in turn: every JSON type, edge numbers, and strings the line parsers branch on. */
    private static final List<JsonNode> VALUES = List.of(
            F.nullNode(),
            F.booleanNode(true),
            F.numberNode(0),
            F.numberNode(-1),
            F.numberNode(1e308),
            F.numberNode(Long.MAX_VALUE),
            F.objectNode(),
            F.arrayNode(),
            F.arrayNode().addNull(),
            F.objectNode().putNull("x"),
            F.textNode(""),
            F.textNode(" "),
            F.textNode("\t\t\t"),
            F.textNode("null"),
            F.textNode("not-a-time"),
            F.textNode("[ERROR]"),
            F.textNode("[ERROR]\t"),
            F.textNode("Traceback (most recent call last):\n"),
            F.textNode("REPORT RequestId: "),
            F.textNode("START RequestId: \tVersion: "),
            F.textNode("2024-01-01T00:00:00.000Z\t\tERROR\t"),
            F.textNode("RequestId: Error: Runtime exited"),
            F.textNode("{\"errorType\":null,\"errorMessage\":{}}"),
            F.textNode("{\"type\":\"platform.report\",\"record\":null}"),
            F.textNode("{\"level\":\"ERROR\",\"message\":null}"),
            F.textNode("arn:aws:lambda:::function:"),
            F.textNode("/subscriptions//providers/Microsoft.Web/sites//functions/"),
            F.textNode("projects//locations//services/"),
            F.textNode("-1s"),
            F.textNode("1e400s"));

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    @TestFactory
    List<DynamicTest> shouldAnswerEveryGoldenInputWithAnyFieldMissingNullOrOfAnotherType() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path in : GoldenTest.cases()) {
            List<byte[]> records = GoldenTest.inputs(in);
            tests.add(DynamicTest.dynamicTest(GoldenTest.ROOT.relativize(in).toString(), () -> {
                for (byte[] record : records) {
                    JsonNode doc = readOrNull(record);
                    if (doc != null) {
                        mutations(doc, mutated -> assertNoParserFailure(mutated));
                    }
                }
            }));
        }
        return tests;
    }

    private void assertNoParserFailure(JsonNode doc) {
        byte[] bytes = doc.toString().getBytes(StandardCharsets.UTF_8);
        ParseResult r = parser.parse(bytes);
        assertThat(r.rejections())
                .as("dead letters of %s", doc)
                .noneMatch(x -> x.detail() != null && x.detail().startsWith(LogParser.PARSER_BUG));
        assertThat(r.events().size() + r.rejections().size() + r.skipped()).isPositive();
    }

    /** Every one-node change of {@code doc}: each container child removed or replaced by each of {@link #VALUES}. */
    private static void mutations(JsonNode doc, Consumer<JsonNode> check) {
        List<JsonNode> containers = new ArrayList<>();
        collect(doc, containers);
        for (JsonNode container : containers) {
            if (container instanceof ObjectNode o) {
                for (String field : names(o)) {
                    JsonNode original = o.get(field);
                    o.remove(field);
                    check.accept(doc);
                    for (JsonNode v : VALUES) {
                        o.set(field, v);
                        check.accept(doc);
                    }
                    o.set(field, original);
                }
            } else if (container instanceof ArrayNode a) {
                for (int i = 0; i < a.size(); i++) {
                    JsonNode original = a.get(i);
                    for (JsonNode v : VALUES) {
                        a.set(i, v);
                        check.accept(doc);
                    }
                    a.set(i, original);
                }
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node instanceof ContainerNode<?>) {
            out.add(node);
            // large arrays: their first elements stand for the rest
            int i = 0;
            for (JsonNode child : node) {
                if (i++ < 3) {
                    collect(child, out);
                }
            }
        }
    }

    private static List<String> names(ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode readOrNull(byte[] record) {
        try {
            return Json.MAPPER.readTree(record);
        } catch (IOException e) {
            return null; // gzip or not JSON: the byte-level properties cover these
        }
    }
}
