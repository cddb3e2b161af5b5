/** Sluice's runner conformance suite and test kit for users' pipelines (JUnit 5). */
module dev.sluice.testing {
    requires transitive dev.sluice.core;
    requires transitive org.junit.jupiter.api;

    exports dev.sluice.testing;
}
