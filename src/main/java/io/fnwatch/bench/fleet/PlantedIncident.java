package io.fnwatch.bench.fleet;

import io.fnwatch.model.AlertType;

/** One planted incident: what the detectors should report, for which function, from when to when. */
public record PlantedIncident(AlertType type, String function, long start, long end, String shape) {}
