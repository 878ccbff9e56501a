package io.fnwatch.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders for brokers and state stores of demo, backtest and tests, removed after use. */
public final class TempFolders {

    private TempFolders() {}

    public static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Deletes a folder and everything in it; best effort (what remains is under the system temp folder). */
    public static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // already gone, or not ours to delete
        }
    }
}
