package io.fnwatch.topology;

import io.fnwatch.config.FnwatchConfig;

/** Names of the topics the processors' results end up in, for the {@code fnwatch.records.out} meter. */
record Outputs(
        String raw,
        String alerts,
        String inventory,
        String deadLetters,
        String repartition,
        String eventsTap,
        String accounts) {

    static Outputs of(FnwatchConfig c) {
        return new Outputs(
                c.string(FnwatchConfig.TOPIC_RAW),
                c.string(FnwatchConfig.TOPIC_ALERTS),
                c.string(FnwatchConfig.TOPIC_INVENTORY),
                c.string(FnwatchConfig.TOPIC_DEAD_LETTERS),
                FnwatchTopology.repartitionTopic(c),
                c.bool(FnwatchConfig.EVENTS_TAP) ? c.string(FnwatchConfig.TOPIC_EVENTS) : null,
                FnwatchTopology.accountsTopic(c));
    }
}
