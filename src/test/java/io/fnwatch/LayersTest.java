package io.fnwatch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layers, checked on the compiled classes so that {@code mvn verify} fails when an import crosses
 * them. From the bottom: the domain model; parsing and detection (pure, no Kafka); configuration; the Kafka
 * Streams topology and its serdes; adapters to the outside (Kafka clients, keys, HTTP, ingest, backtest, alert
 * delivery); the service that wires them; the benches; the command line. A layer uses only layers below it.
 */
class LayersTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.fnwatch");
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Model")
                .definedBy("io.fnwatch.model..")
                .layer("Core")
                .definedBy("io.fnwatch.parse..", "io.fnwatch.detect..")
                .layer("Config")
                .definedBy("io.fnwatch.config..")
                .layer("Streams")
                .definedBy("io.fnwatch.serde..", "io.fnwatch.topology..")
                .layer("Adapters")
                .definedBy(
                        "io.fnwatch.kafka..",
                        "io.fnwatch.auth..",
                        "io.fnwatch.jetty..",
                        "io.fnwatch.http..",
                        "io.fnwatch.ingest..",
                        "io.fnwatch.backtest..",
                        "io.fnwatch.notify..")
                .layer("Service")
                .definedBy("io.fnwatch.service..")
                .layer("Bench")
                .definedBy("io.fnwatch.bench..")
                .layer("Cli")
                .definedBy("io.fnwatch.cli..")
                .whereLayer("Cli")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Bench")
                .mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("Service")
                .mayOnlyBeAccessedByLayers("Bench", "Cli")
                .whereLayer("Adapters")
                .mayOnlyBeAccessedByLayers("Service", "Bench", "Cli")
                .whereLayer("Streams")
                .mayOnlyBeAccessedByLayers("Adapters", "Service", "Bench", "Cli")
                .whereLayer("Config")
                .mayOnlyBeAccessedByLayers("Streams", "Adapters", "Service", "Bench", "Cli")
                .whereLayer("Core")
                .mayOnlyBeAccessedByLayers("Config", "Streams", "Adapters", "Service", "Bench", "Cli")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.fnwatch.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void parsingAndDetectionDoNotKnowEachOther() {
        noClasses()
                .that()
                .resideInAPackage("io.fnwatch.parse..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.fnwatch.detect..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.fnwatch.detect..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.fnwatch.parse..")
                .check(classes);
    }

    @Test
    void theCoreImportsNoKafka() {
        noClasses()
                .that()
                .resideInAnyPackage("io.fnwatch.model..", "io.fnwatch.parse..", "io.fnwatch.detect..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka..")
                .because("parsing and detection run offline too (parse, backtest) and are tested without a broker")
                .check(classes);
    }

    @Test
    void noKafkaInternals() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("io.fnwatch.topology.WriteBackStore")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka..internals..")
                .because("internal classes change without notice between Kafka releases; WriteBackStore is the one"
                        + " exception, explained there and pinned by WriteBackStoreContractTest and WriteBackStoreIT")
                .check(classes);
    }
}
