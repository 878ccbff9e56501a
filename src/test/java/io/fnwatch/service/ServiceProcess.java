package io.fnwatch.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code fnwatch run} in a child JVM on the test's own class path, so that it can be killed like a real
 * process: {@link #kill()} is SIGKILL on Linux (no shutdown hook, no flush, no clean close). Its output goes
 * to a log file that {@link #tail()} shows when a test fails.
 */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(String bootstrap, Map<String, String> settings, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "io.fnwatch.cli.Main",
                "run",
                "--bootstrap-servers",
                bootstrap));
        settings.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("FNWATCH_"));
        return new ServiceProcess(pb.start(), log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child JVM " + process.pid() + " survived SIGKILL");
        }
    }

    /** The last lines of the child's output, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
