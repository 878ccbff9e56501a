package io.fnwatch.model;

/**
 * The values one log record gave one custom metric: their {@code sum} and {@code count} (an Embedded Metric
 * Format member may hold one number or an array of up to 100). {@code dimensions} is the record's dimension
 * values as {@code name=value} pairs sorted by name and joined by commas (empty when none); with the
 * namespace and name it identifies the series.
 */
public record MetricSample(String namespace, String name, String unit, String dimensions, double sum, int count) {

    /** Unit of counters: their per-minute figure is the sum of the values, others the mean. */
    public boolean isCount() {
        return "Count".equals(unit);
    }

    /** One key per series: namespace, name and dimensions. */
    public String series() {
        return namespace + "/" + name + (dimensions.isEmpty() ? "" : "{" + dimensions + "}");
    }
}
