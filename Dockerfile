# Build: the shaded jar (the default detector settings are packed inside it as well).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY detectors ./detectors
COPY src ./src
RUN mvn -B -ntp -DskipTests package

# Run: a JRE, the jar, the editable detector settings, and the sample logs (for `replay /app/sample-logs`).
FROM eclipse-temurin:17-jre
RUN groupadd --system fnwatch \
    && useradd --system --gid fnwatch --home-dir /app --shell /usr/sbin/nologin fnwatch \
    && mkdir -p /app /var/lib/fnwatch/state /var/lib/fnwatch/kafka \
    && chown -R fnwatch:fnwatch /var/lib/fnwatch
WORKDIR /app
COPY --from=build /src/target/fnwatch.jar /app/fnwatch.jar
COPY detectors /app/detectors
COPY sample-logs /app/sample-logs
# Kafka Streams state (RocksDB); mount a volume here so a restart does not rebuild it from the changelog.
# The embedded broker (used only when no bootstrap servers are set) also writes under /var/lib/fnwatch.
# The HTTP endpoints listen on all interfaces inside the container: 8080 /functions, 8081 /metrics /healthz /readyz.
ENV FNWATCH_STATE_DIR=/var/lib/fnwatch/state \
    FNWATCH_EMBEDDED_DATA_DIR=/var/lib/fnwatch/kafka \
    FNWATCH_OPS_HTTP_HOST=0.0.0.0
EXPOSE 8080 8081
VOLUME ["/var/lib/fnwatch/state"]
USER fnwatch
ENTRYPOINT ["java", "-jar", "/app/fnwatch.jar"]
CMD ["run"]
