package io.fnwatch.bench.fleet;

import io.fnwatch.model.AlertType;

/** One planted incident: what the detectors should report, for which function, from when to when. */
public record Incident(AlertType type, String function, long start, long end, String shape) {
}
