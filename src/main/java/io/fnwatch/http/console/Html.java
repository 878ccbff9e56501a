package io.fnwatch.http.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.eclipse.jetty.util.StringUtil;

/**
 * Writing HTML: every piece of text that did not come from this class goes through {@link #text} (element text
 * and double-quoted attribute values alike: {@code & < > " '} become entities, control characters {@code ?}),
 * every URL parameter through {@link #param}. Jetty's own escaper, the one its error pages use.
 */
final class Html {

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(8192);

    /** Escaped text, safe in element content and in a double-quoted attribute value. */
    static String text(Object value) {
        return value == null ? "" : StringUtil.sanitizeXmlString(String.valueOf(value));
    }

    /** A URL query parameter value. */
    static String param(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    static String minute(Instant t) {
        return t == null ? "" : MINUTE.format(t);
    }

    static String minute(long millis) {
        return MINUTE.format(Instant.ofEpochMilli(millis));
    }

    /** Markup written as is: only literals of this package and output of {@link #text}. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Escaped text. */
    Html t(Object value) {
        out.append(text(value));
        return this;
    }

    /** {@code <tag>escaped text</tag>}. */
    Html el(String tag, Object value) {
        out.append('<')
                .append(tag)
                .append('>')
                .append(text(value))
                .append("</")
                .append(tag)
                .append('>');
        return this;
    }

    /** A link with escaped href and text. */
    Html link(String href, Object label) {
        out.append("<a href=\"")
                .append(text(href))
                .append("\">")
                .append(text(label))
                .append("</a>");
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
