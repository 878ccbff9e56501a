package io.fnwatch.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.MetricSample;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads a CloudWatch Embedded Metric Format record ({@code {"_aws":{"CloudWatchMetrics":[{"Namespace",
 * "Dimensions":[[…]],"Metrics":[{"Name","Unit"}]}]}, "<name>": value, "<dimension>": "value", …}}), as
 * Powertools for AWS Lambda and the EMF libraries write it, into one {@link MetricSample} per metric.
 *
 * <p>A metric's value is a number or an array of numbers (its values are summed and counted); non-numbers and
 * non-finite numbers are left out, as CloudWatch rejects them. The dimensions of a sample are every dimension
 * named in the directive's dimension sets, with the record's string value, so each distinct combination the
 * function logs is its own series. Bounded: at most {@link #MAX_SAMPLES} samples per record, 100 values per
 * metric, 30 dimensions, names and values cut to {@link #MAX_NAME} characters. The record's time is the log
 * event's (CloudWatch would use {@code _aws.Timestamp}; the two differ by the time it takes to write a line).
 */
final class EmbeddedMetrics {

    static final int MAX_SAMPLES = 100;
    static final int MAX_VALUES = 100;
    static final int MAX_DIMENSIONS = 30;
    static final int MAX_NAME = 256;

    private EmbeddedMetrics() {}

    /** True when {@code doc} (read from {@code text}) is an EMF record; its samples then fill {@code b} (kind METRIC). */
    static boolean read(JsonNode doc, String text, FunctionEvent.Builder b) {
        JsonNode directives = doc.path("_aws").path("CloudWatchMetrics");
        if (!directives.isArray()) {
            return false;
        }
        List<MetricSample> samples = new ArrayList<>(2);
        for (JsonNode d : directives) {
            if (samples.size() >= MAX_SAMPLES) {
                break;
            }
            JsonNode ns = d.path("Namespace");
            JsonNode metrics = d.path("Metrics");
            if (!ns.isTextual() || ns.asText().isEmpty() || !metrics.isArray()) {
                continue;
            }
            String dims = dimensions(doc, d.path("Dimensions"));
            for (JsonNode m : metrics) {
                if (samples.size() >= MAX_SAMPLES) {
                    break;
                }
                JsonNode name = m.path("Name");
                if (!name.isTextual() || name.asText().isEmpty()) {
                    continue;
                }
                MetricSample s = sample(cut(ns.asText()), cut(name.asText()), unit(m), dims, doc.get(name.asText()));
                if (s != null) {
                    samples.add(s);
                }
            }
        }
        if (samples.isEmpty()) {
            return false;
        }
        b.kind = EventKind.METRIC;
        b.metrics = samples;
        String id = LambdaMessages.text(doc, "requestId");
        b.requestId = LambdaLinePrefix.isUuid(id) ? id : null;
        b.message = text;
        return true;
    }

    private static MetricSample sample(String ns, String name, String unit, String dims, JsonNode value) {
        if (value == null) {
            return null;
        }
        double sum = 0;
        int count = 0;
        if (value.isNumber()) {
            double v = value.doubleValue();
            if (Double.isFinite(v)) {
                sum = v;
                count = 1;
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size() && i < MAX_VALUES; i++) {
                JsonNode x = value.get(i);
                if (x.isNumber() && Double.isFinite(x.doubleValue())) {
                    sum += x.doubleValue();
                    count++;
                }
            }
        }
        return count == 0 || !Double.isFinite(sum) ? null : new MetricSample(ns, name, unit, dims, sum, count);
    }

    private static String unit(JsonNode m) {
        JsonNode u = m.path("Unit");
        return u.isTextual() && !u.asText().isEmpty() ? cut(u.asText()) : "None";
    }

    /** Every dimension the directive names, {@code name=value} sorted by name; those the record lacks are left out. */
    private static String dimensions(JsonNode doc, JsonNode sets) {
        if (!sets.isArray() || sets.isEmpty()) {
            return "";
        }
        TreeMap<String, String> dims = new TreeMap<>();
        for (JsonNode set : sets) {
            if (!set.isArray()) {
                continue;
            }
            for (JsonNode dim : set) {
                if (dims.size() >= MAX_DIMENSIONS) {
                    break;
                }
                if (dim.isTextual()) {
                    JsonNode v = doc.get(dim.asText());
                    if (v != null && v.isValueNode() && !v.isNull()) {
                        dims.put(cut(dim.asText()), cut(v.asText()));
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        dims.forEach((k, v) ->
                out.append(out.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return out.toString();
    }

    private static String cut(String s) {
        return s.length() <= MAX_NAME ? s : s.substring(0, MAX_NAME);
    }
}
