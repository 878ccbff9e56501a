package io.fnwatch.bench.masking;

import java.util.List;

/**
 * One planted secret: its kind, the log messages that carry it (several for a key split over events), and
 * the strings that must not survive the masking.
 */
public record Plant(String kind, List<String> messages, List<String> secrets) {

    static Plant of(String kind, String message, String... secrets) {
        return new Plant(kind, List.of(message), List.of(secrets));
    }
}
