package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Arbitrary and mutated inputs: the parser answers every one, and no planted secret gets through. */
class LogParserProperties {

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    private static void assertAnswered(ParseResult r) {
        assertThat(r.events().size() + r.rejections().size() + r.skipped()).isPositive();
    }

    @Property(tries = 2000)
    void shouldAnswerEveryArbitraryInputWithoutThrowing(@ForAll byte[] bytes) {
        assertAnswered(parser.parse(bytes));
    }

    @Property(tries = 3000)
    void shouldAnswerEveryMutatedRealExampleWithoutThrowing(@ForAll("mutatedExamples") byte[] bytes) {
        assertAnswered(parser.parse(bytes));
    }

    @Provide
    Arbitrary<byte[]> mutatedExamples() throws IOException {
        List<byte[]> examples = new ArrayList<>();
        for (Path in : GoldenTest.cases()) {
            examples.addAll(GoldenTest.inputs(in));
        }
        return Combinators.combine(
                        Arbitraries.of(examples), Arbitraries.integers().between(1, 8), Arbitraries.longs())
                .as((example, edits, seed) -> mutate(example, edits, new java.util.Random(seed)));
    }

    private static byte[] mutate(byte[] original, int edits, java.util.Random random) {
        byte[] b = original.clone();
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(3)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b = java.util.Arrays.copyOf(b, at);
                default -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = "{}[]\",:\\0".getBytes(StandardCharsets.UTF_8)[random.nextInt(9)];
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
            }
        }
        return b;
    }

    @Property(tries = 1000)
    void shouldNeverLetAPlantedSecretThrough(@ForAll("secrets") String secret, @ForAll("planted") String template) {
        String message = template.replace("%s", secret);
        String line = "{\"logGroup\":\"/aws/lambda/leaky\",\"timestamp\":1741255087000,\"message\":"
                + Json.string(message) + "}";

        ParseResult r = parser.parse(line.getBytes(StandardCharsets.UTF_8));

        assertThat(r.events()).hasSize(1);
        assertThat(Json.string(r.events().get(0))).doesNotContain(secretCore(secret));
        assertThat(r.events().get(0).secrets()).isNotEmpty();
    }

    /** The part of a planted string that is the secret itself (labels like "password=" are not secret). */
    private static String secretCore(String planted) {
        if (planted.startsWith("-----BEGIN")) {
            return planted.substring(planted.indexOf('\n') + 1, planted.lastIndexOf('\n'));
        }
        if (planted.startsWith("eyJ") || planted.startsWith("AKIA") || planted.startsWith("ASIA")) {
            return planted;
        }
        if (planted.contains("://")) {
            return planted.substring(planted.indexOf(':', planted.indexOf("://") + 3) + 1, planted.indexOf('@'));
        }
        int cut = Math.max(planted.lastIndexOf('='), Math.max(planted.lastIndexOf(' '), planted.lastIndexOf(':')));
        return planted.substring(cut + 1);
    }

    @Provide
    Arbitrary<String> planted() {
        return Arbitraries.of(
                "%s",
                "error: %s",
                "config loaded (%s) ok",
                "2025-01-07T19:49:07.595Z\tid\tINFO\t%s\n",
                "{\"env\": \"%s\"}",
                "calling api with %s, retrying");
    }

    @Provide
    Arbitrary<String> secrets() {
        Arbitrary<String> upperDigits = Arbitraries.strings()
                .withCharRange('A', 'Z')
                .withCharRange('0', '9')
                .ofLength(16);
        Arbitrary<String> b64url = Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('A', 'Z')
                .withCharRange('0', '9')
                .withChars('-', '_')
                .ofMinLength(12)
                .ofMaxLength(60);
        Arbitrary<String> secretChars = Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('0', '9')
                .withChars('!', '#', '%', '*', '.', '-')
                .ofMinLength(10)
                .ofMaxLength(30)
                .filter(s -> s.chars().anyMatch(Character::isDigit) && s.chars().anyMatch(Character::isLetter));
        Arbitrary<String> awsSecret = Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('A', 'Z')
                .withCharRange('0', '9')
                .withChars('/', '+')
                .ofLength(40);
        return Arbitraries.oneOf(
                upperDigits.map(s -> "AKIA" + s),
                upperDigits.map(s -> "ASIA" + s),
                Combinators.combine(b64url, b64url, b64url).as((a, b, c) -> "eyJ" + a + ".eyJ" + b + "." + c),
                b64url.map(s -> "-----BEGIN RSA PRIVATE KEY-----\nMIIEow" + s + "\n-----END RSA PRIVATE KEY-----"),
                secretChars.map(s -> "https://deploy:" + s + "@git.example.com/repo.git"),
                secretChars.map(s -> "Authorization: Bearer " + s),
                secretChars.map(s -> "password=" + s),
                secretChars.map(s -> "api_key: " + s),
                secretChars.map(s -> "client_secret=" + s),
                awsSecret.map(s -> "aws_secret_access_key=" + s));
    }
}
