package io.fnwatch.detect;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.model.FunctionKey;
import java.nio.file.Path;

/** The settings in the repository's detectors/ folder: tests judge the defaults users get. */
public final class Defaults {

    public static final DetectorConfig CONFIG = DetectorConfig.load(Path.of("detectors"), 5 * 60_000L);

    private Defaults() {}

    public static DetectorSettings settings() {
        return CONFIG.forFunction(new FunctionKey("default", "aws", "123456789012", "us-east-1", "f"));
    }
}
