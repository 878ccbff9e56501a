package io.fnwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuntimesTest {

    @ParameterizedTest
    @CsvSource({
        "aws, python:3.9.v64, aws:python3.9",
        "aws, python3.9, aws:python3.9",
        "aws, nodejs:20.v41, aws:nodejs20.x",
        "aws, nodejs:18.17.v3, aws:nodejs18.x",
        "aws, provided:al2023.v5, aws:provided.al2023",
        "aws, java:21.v12, aws:java21",
        "aws, ' Python:3.12.V7 ', aws:python3.12",
        "aws, dotnet:8.v, aws:dotnet8.v",
        "aws, ruby:3.3.v, aws:ruby3.3.v",
        "aws, python:3.9v64, aws:python3.9v64",
        "gcp, python:3.12.v2, gcp:python:3.12.v2",
        "azure, node|20, azure:node|20",
    })
    void shouldNormaliseRuntimeNames(String provider, String runtime, String id) {
        assertThat(Runtimes.id(provider, runtime)).isEqualTo(id);
    }

    /** The string code gives what the regular expressions it replaced gave, for names without line breaks. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "python:3.9.v64",
                "nodejs:20.v41",
                "nodejs:20",
                "nodejs:.v1",
                "nodejs:",
                "provided:.v9",
                "java:11.v",
                "java:11.v1x",
                "x:.v.v12",
                "x:v12",
                ":3.9.v1",
                "nodejs:20.1.2.v3",
                "a:b:c.v2"
            })
    void shouldAgreeWithTheRegularExpressions(String runtime) {
        String r = runtime.trim().toLowerCase(Locale.ROOT);
        int colon = r.indexOf(':');
        String expected;
        if (colon > 0) {
            String lang = r.substring(0, colon);
            String version = r.substring(colon + 1).replaceFirst("\\.v\\d+$", "");
            expected = "aws:"
                    + switch (lang) {
                        case "nodejs" -> "nodejs" + version.replaceFirst("\\..*$", "") + ".x";
                        case "provided" -> "provided." + version;
                        default -> lang + version;
                    };
        } else {
            expected = "aws:" + r;
        }
        assertThat(Runtimes.id("aws", runtime)).isEqualTo(expected);
    }
}
