package dev.cct.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, checked on the compiled classes: an import against the grain fails the
 * build instead of waiting for a reviewer to notice.
 */
class LayersTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.cct");
    }

    static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("main").definedBy("dev.cct")
                .layer("cli").definedBy("dev.cct.cli..")
                .layer("batch").definedBy("dev.cct.batch..")
                .layer("run").definedBy("dev.cct.run..")
                .layer("providers").definedBy("dev.cct.sandbox.docker..", "dev.cct.sandbox.e2b..", "dev.cct.sandbox.cloudflare..")
                .layer("services").definedBy("dev.cct.archive..", "dev.cct.catalog..", "dev.cct.install..", "dev.cct.stream..",
                        "dev.cct.ui..", "dev.cct.sandbox", "dev.cct.sandbox.http..", "dev.cct.changes..",
                        "dev.cct.runs..")
                .layer("core").definedBy("dev.cct.core..")
                .whereLayer("main").mayNotBeAccessedByAnyLayer()
                .whereLayer("cli").mayOnlyBeAccessedByLayers("main")
                .whereLayer("batch").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("run").mayOnlyBeAccessedByLayers("batch", "cli", "main")
                .whereLayer("providers").mayOnlyBeAccessedByLayers("run", "cli")
                .whereLayer("services").mayOnlyBeAccessedByLayers("providers", "run", "batch", "cli")
                .whereLayer("core").mayOnlyBeAccessedByLayers("services", "providers", "run", "batch", "cli", "main");
    }

    @Test
    void everyLayerPointsDownOnly() {
        layers().check(classes);
    }

    @Test
    void noPackagesDependOnEachOtherInACircle() {
        slices().matching("dev.cct.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void providersKnowNothingOfEachOtherNorOfClaudeComponentsOrTheScreen() {
        for (String provider : new String[] {"docker", "e2b", "cloudflare"}) {
            noClasses().that().resideInAPackage("dev.cct.sandbox." + provider + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(otherProviders(provider))
                    .orShould().dependOnClassesThat().resideInAnyPackage("dev.cct.catalog..", "dev.cct.install..",
                            "dev.cct.stream..", "dev.cct.ui..")
                    .because("a provider offers sandbox primitives; what runs in them is the run's business")
                    .check(classes);
        }
    }

    @Test
    void theCoreDependsOnNothingElseOfCct() {
        noClasses().that().resideInAPackage("dev.cct.core..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.cct.core..", "java..", "javax..",
                        "com.fasterxml.jackson..", "io.github.cdimascio..", "org.fusesource.jansi..")
                .check(classes);
    }

    private static String[] otherProviders(String provider) {
        return java.util.stream.Stream.of("docker", "e2b", "cloudflare").filter(p -> !p.equals(provider))
                .map(p -> "dev.cct.sandbox." + p + "..").toArray(String[]::new);
    }
}
