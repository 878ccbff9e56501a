package io.fnwatch.http.console;

import io.fnwatch.detect.MinuteSummary;
import io.fnwatch.model.FunctionKey;
import java.util.List;
import java.util.Map;

/** What only the instance holding a function knows: its status (as {@code /functions} gives it) and history. */
interface FunctionReader {

    /** Thrown when the instance holding the function cannot be asked right now. */
    final class Unavailable extends Exception {
        Unavailable(String why) {
            super(why);
        }
    }

    /** The function's status, or null when it has no state. {@code token} authorises a forward. */
    Map<String, Object> status(FunctionKey key, String token) throws Unavailable;

    /** The function's minutes starting in {@code [from, to]}, oldest first. */
    List<MinuteSummary> history(FunctionKey key, long from, long to, String token) throws Unavailable;
}
