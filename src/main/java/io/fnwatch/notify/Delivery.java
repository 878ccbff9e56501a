package io.fnwatch.notify;

import java.time.Instant;
import java.util.List;

/**
 * A notice on its way to one sink, with the tickets of the records it delivers (none for a re-send) and its
 * attempts so far. Owned by the sink's worker once queued.
 */
final class Delivery {

    final Notice notice;
    final List<Ticket> tickets;
    final Instant queuedAt;
    int attempts;
    Instant firstAttemptAt;
    Instant notBefore;
    String lastError;

    Delivery(Notice notice, List<Ticket> tickets, Instant queuedAt) {
        this.notice = notice;
        this.tickets = List.copyOf(tickets);
        this.queuedAt = queuedAt;
    }

    /** Every record it carries now belongs to another instance, which delivers them itself. */
    boolean abandoned() {
        return !tickets.isEmpty() && tickets.stream().allMatch(Ticket::revoked);
    }

    void complete() {
        tickets.forEach(Ticket::complete);
    }
}
