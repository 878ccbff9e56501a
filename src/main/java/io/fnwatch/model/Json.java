package io.fnwatch.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one place mappers are configured: ISO-8601 timestamps, stable field order, unknown fields tolerated on
 * read. {@link #MAPPER} for JSON, {@link #YAML} for YAML, {@link #withReadLimits} for a parser that bounds what
 * it reads, and {@link #strict} for files a user writes, where a misspelt field is an error rather than
 * ignored. Imports nothing but Jackson, so that every layer may use it.
 */
public final class Json {

    public static final ObjectMapper MAPPER = configure(JsonMapper.builder()).build();

    /** YAML as a user writes it: no {@code ---} before a document written out. */
    public static final ObjectMapper YAML = configure(
                    YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .build();

    private Json() {}

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
        return builder.addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * A JSON mapper configured as {@link #MAPPER} whose parsers (and its {@link ObjectMapper#getFactory()
     * factory}'s) stop at {@code limits}; a new instance, since the limits live in the factory.
     */
    public static ObjectMapper withReadLimits(StreamReadConstraints limits) {
        // no source excerpt in error locations: it is never shown (only a message's first line is), and
        // recording where each parser's input came from was 2% of parsing a log event
        return configure(JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(limits)
                        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                        .build()))
                .build();
    }

    /** Reads with {@code mapper}, failing on fields the target type does not have. */
    public static ObjectReader strict(ObjectMapper mapper) {
        return mapper.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
