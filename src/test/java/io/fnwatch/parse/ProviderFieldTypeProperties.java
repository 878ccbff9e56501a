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
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The Google and Azure golden inputs with fields replaced by a null, an empty string, a word, a huge or
 * negative number, an array or an object, or removed: the parser answers each without an exception (which
 * LogParser would dead-letter as BAD_FIELD naming the exception's class, as it did for the NullPointerException
 * of a Cloud Run line without severity).
 */
class ProviderFieldTypeProperties {

    private static final List<String> FOLDERS =
            List.of("gcp", "cloud-run", "gcp-errors", "azure", "azure-errors", "azure-identity");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<JsonNode> HOSTILE = List.of(
            NODES.nullNode(),
            NODES.textNode(""),
            NODES.textNode("abc"),
            NODES.textNode("7"),
            NODES.numberNode(0),
            NODES.numberNode(-1),
            NODES.numberNode(1e300),
            NODES.numberNode(99999999999L),
            NODES.booleanNode(true),
            NODES.arrayNode(),
            NODES.objectNode());

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    @Property(tries = 3000)
    void shouldNeverThrowWhenFieldsAreNullAbsentOrOfAnotherType(@ForAll("retyped") byte[] doc) {
        ParseResult r = parser.parse(doc);

        assertThat(r.events().size() + r.rejections().size() + r.skipped()).isPositive();
        assertThat(r.rejections())
                .noneSatisfy(x -> assertThat(String.valueOf(x.detail())).containsPattern("^\\w+(Exception|Error):"));
    }

    @Provide
    Arbitrary<byte[]> retyped() throws IOException {
        List<JsonNode> examples = new ArrayList<>();
        for (Path in : GoldenTest.cases()) {
            if (FOLDERS.contains(in.getParent().getFileName().toString())) {
                for (byte[] line : GoldenTest.inputs(in)) {
                    examples.add(Json.MAPPER.readTree(line));
                }
            }
        }
        return Combinators.combine(
                        Arbitraries.of(examples), Arbitraries.integers().between(1, 4), Arbitraries.longs())
                .as((example, edits, seed) -> retype(example, edits, new Random(seed)));
    }

    private static byte[] retype(JsonNode original, int edits, Random random) {
        JsonNode doc = original.deepCopy();
        for (int i = 0; i < edits; i++) {
            List<ContainerNode<?>> parents = new ArrayList<>();
            collect(doc, parents);
            ContainerNode<?> parent = parents.get(random.nextInt(parents.size()));
            if (parent.isEmpty()) {
                continue;
            }
            int at = random.nextInt(parent.size());
            boolean remove = random.nextInt(6) == 0;
            JsonNode value = HOSTILE.get(random.nextInt(HOSTILE.size()));
            if (parent instanceof ObjectNode o) {
                String name = ((Iterable<String>) o::fieldNames).iterator().next();
                var names = o.fieldNames();
                for (int k = 0; k <= at && names.hasNext(); k++) {
                    name = names.next();
                }
                if (remove) {
                    o.remove(name);
                } else {
                    o.set(name, value);
                }
            } else if (parent instanceof ArrayNode a) {
                if (remove) {
                    a.remove(at);
                } else {
                    a.set(at, value);
                }
            }
        }
        return doc.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void collect(JsonNode node, List<ContainerNode<?>> out) {
        if (node instanceof ContainerNode<?> c) {
            out.add(c);
            node.forEach(child -> collect(child, out));
        }
    }
}
