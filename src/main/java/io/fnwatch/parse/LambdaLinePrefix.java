package io.fnwatch.parse;

import io.fnwatch.model.FunctionEvent;

/**
 * Reads the prefix a Lambda runtime writes before what a function prints: its request id, its level and where
 * the printed message starts. One cheap look at the first character picks the shape; the request id is
 * accepted only when it has a UUID's shape (36 characters, hex, hyphens at 8, 13, 18 and 23) and fills a whole
 * field, so nothing that merely sits between two tabs is taken for one.
 *
 * <ul>
 *   <li>Node.js and .NET: {@code <time>\t<request id>\t<LEVEL>\t<message>} (.NET levels {@code info},
 *       {@code warn}, {@code fail}, {@code crit}; Node writes {@code undefined} outside an invocation).
 *   <li>Python: {@code [LEVEL]\t<time>\t<request id>\t<message>}; its uncaught errors and Java's leveled
 *       {@code LambdaLogger} write {@code [LEVEL] <message>}, with no request id.
 *   <li>Java log4j2 ({@code aws-lambda-java-log4j2}): {@code <date> <time> <request id> <LEVEL> <message>}.
 *   <li>Ruby: {@code L, [<time> #<pid>] LEVEL <request id> -- <progname>: <message>}.
 *   <li>Lambda's own legacy lines: {@code <time> <request id> Task timed out after …} and
 *       {@code RequestId: <request id> Error: Runtime exited …} / {@code … Process exited before completing
 *       request}.
 * </ul>
 *
 * Go and custom runtimes print raw lines: no prefix, no request id.
 */
final class LambdaLinePrefix {

    static final int UUID_LENGTH = 36;
    private static final String REQUEST_ID = "RequestId: ";
    /** No Lambda timestamp is longer; past this a separator is not the end of one. */
    private static final int MAX_TIME = 40;

    private LambdaLinePrefix() {}

    /** The level ({@link AppLevel}) of a value {@link #read} returned. */
    static int level(int prefix) {
        return prefix & 7;
    }

    /** Where the message starts in the line, for a value {@link #read} returned; 0 when no prefix was seen. */
    static int messageStart(int prefix) {
        return prefix >>> 3;
    }

    private static int pack(int messageStart, int level) {
        // a prefix ends within the first few hundred characters; past 2^28 (never, given the record limits)
        // the message is taken from the start rather than let the shift overflow
        return (messageStart >>> 28 == 0 ? messageStart << 3 : 0) | level;
    }

    /**
     * Reads the prefix of {@code line}; sets {@code b.requestId} when the prefix holds a request id and
     * {@code b} has none yet. Returns level and message start packed; use {@link #level}, {@link #messageStart}.
     */
    static int read(String line, FunctionEvent.Builder b) {
        if (line.length() < 4) {
            return 0;
        }
        char c = line.charAt(0);
        if (c == '[') {
            return bracketed(line, b);
        }
        if (c >= '0' && c <= '9') {
            return timestamped(line, b);
        }
        if (c == 'R' && line.startsWith(REQUEST_ID)) {
            int end = REQUEST_ID.length() + UUID_LENGTH;
            return endsToken(line, end) && id(line, REQUEST_ID.length(), end, b)
                    ? pack(skipSpaces(line, end), AppLevel.NONE)
                    : 0;
        }
        if (line.charAt(1) == ',' && line.charAt(2) == ' ' && line.charAt(3) == '[') {
            return ruby(line, b);
        }
        return 0;
    }

    /** {@code [LEVEL]\t<time>\t<request id>\t<message>} or {@code [LEVEL] <message>}. */
    private static int bracketed(String line, FunctionEvent.Builder b) {
        int close = 1;
        while (close < line.length() && close < 13 && line.charAt(close) != ']') {
            close++;
        }
        int level = close < line.length() && line.charAt(close) == ']' ? AppLevel.of(line, 1, close) : AppLevel.NONE;
        if (level == AppLevel.NONE) {
            return 0;
        }
        int after = close + 1;
        if (after >= line.length() || line.charAt(after) != '\t') {
            return pack(skipSpaces(line, after), level);
        }
        int time = line.indexOf('\t', after + 1);
        int id = time < 0 ? -1 : line.indexOf('\t', time + 1);
        if (id < 0) {
            return pack(after + 1, level);
        }
        id(line, time + 1, id, b);
        return pack(id + 1, level);
    }

    /** Node/.NET {@code <time>\t<id>\t<LEVEL>\t…}, or space-separated legacy and log4j2 lines. */
    private static int timestamped(String line, FunctionEvent.Builder b) {
        // indexOf is vectorised; a timestamp has no tab and at most one space (log4j2's date and time)
        int tab = line.indexOf('\t');
        int space = line.indexOf(' ');
        int sep = tab < 0 ? space : space < 0 ? tab : Math.min(tab, space);
        if (sep < 1 || sep >= MAX_TIME) {
            return 0;
        }
        if (line.charAt(sep) == '\t') {
            int idEnd = line.indexOf('\t', sep + 1);
            if (idEnd < 0) {
                return 0;
            }
            boolean hasId = id(line, sep + 1, idEnd, b);
            int levelEnd = line.indexOf('\t', idEnd + 1);
            int level = AppLevel.of(line, idEnd + 1, levelEnd < 0 ? line.length() : levelEnd);
            if (level != AppLevel.NONE) {
                return pack(levelEnd < 0 ? line.length() : levelEnd + 1, level);
            }
            return hasId ? pack(idEnd + 1, AppLevel.NONE) : 0;
        }
        int at = sep + 1;
        if (!isUuid(line, at)) {
            // log4j2's "yyyy-MM-dd HH:mm:ss": the id follows the time, after a second space
            int second = line.indexOf(' ', at);
            if (second < 0 || second > MAX_TIME) {
                return 0;
            }
            at = second + 1;
        }
        int end = at + UUID_LENGTH;
        if (!endsToken(line, end) || !id(line, at, end, b)) {
            return 0;
        }
        int levelStart = skipSpaces(line, end);
        int levelEnd = levelStart;
        while (levelEnd < line.length() && levelEnd - levelStart < 12 && line.charAt(levelEnd) != ' ') {
            levelEnd++;
        }
        int level = AppLevel.of(line, levelStart, levelEnd);
        return level == AppLevel.NONE ? pack(levelStart, level) : pack(skipSpaces(line, levelEnd), level);
    }

    /** {@code E, [2024-05-29T16:26:41.234567 #8] ERROR <request id> -- prog: message}. */
    private static int ruby(String line, FunctionEvent.Builder b) {
        int close = line.indexOf("] ", 4);
        if (close < 0 || close > 64) {
            return 0;
        }
        int levelStart = skipSpaces(line, close + 2);
        int levelEnd = line.indexOf(' ', levelStart);
        int level = levelEnd < 0 ? AppLevel.NONE : AppLevel.of(line, levelStart, levelEnd);
        if (level == AppLevel.NONE) {
            return 0;
        }
        int at = skipSpaces(line, levelEnd);
        if (endsToken(line, at + UUID_LENGTH) && id(line, at, at + UUID_LENGTH, b)) {
            at = skipSpaces(line, at + UUID_LENGTH);
        }
        if (!line.startsWith("-- ", at)) {
            return pack(at, level);
        }
        int colon = line.indexOf(": ", at + 3);
        return colon < 0 || colon - at > 128 ? pack(at + 3, level) : pack(colon + 2, level);
    }

    /** Takes {@code line[from, to)} as the request id when it is exactly a UUID. */
    private static boolean id(String line, int from, int to, FunctionEvent.Builder b) {
        if (to - from != UUID_LENGTH || !isUuid(line, from)) {
            return false;
        }
        if (b.requestId == null) {
            b.requestId = line.substring(from, to);
        }
        return true;
    }

    /** 36 characters from {@code from}: hex digits with hyphens at 8, 13, 18 and 23. */
    static boolean isUuid(String s, int from) {
        if (from < 0 || from + UUID_LENGTH > s.length()) {
            return false;
        }
        // hyphens first: they reject most non-ids at once
        if (s.charAt(from + 8) != '-'
                || s.charAt(from + 13) != '-'
                || s.charAt(from + 18) != '-'
                || s.charAt(from + 23) != '-') {
            return false;
        }
        // then one branch-free pass (twice as fast here as a branch per character): each character must be a
        // digit, a-f in either case (| 0x20 folds a letter's case only), or one of the four hyphens
        int bad = 0;
        int hyphens = 0;
        for (int i = from; i < from + UUID_LENGTH; i++) {
            char c = s.charAt(i);
            int hyphen = c == '-' ? 1 : 0;
            hyphens += hyphen;
            bad |= ((char) (c - '0') > 9 ? 1 : 0) & ((char) ((c | 0x20) - 'a') > 5 ? 1 : 0) & (hyphen ^ 1);
        }
        return bad == 0 && hyphens == 4;
    }

    static boolean isUuid(String s) {
        return s != null && s.length() == UUID_LENGTH && isUuid(s, 0);
    }

    /** Whether a token ending at {@code end} ends there: at the end of the line or before a space. */
    private static boolean endsToken(String line, int end) {
        return end == line.length() || (end < line.length() && line.charAt(end) == ' ');
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
