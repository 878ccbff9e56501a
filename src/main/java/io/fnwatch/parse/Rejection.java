package io.fnwatch.parse;

import io.fnwatch.model.DeadLetter;

/** Why an input could not become an event; the caller turns it into a dead letter. */
public record Rejection(DeadLetter.Reason reason, String detail, String source) {}
