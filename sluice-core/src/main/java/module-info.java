/**
 * Sluice: lazy, constant-memory data pipelines. The API ({@code dev.sluice} and its format packages) and the
 * connector SPI ({@code dev.sluice.spi}); the runtime ({@code dev.sluice.internal}) is not exported.
 *
 * <p>Rows bound to user records ({@code row.as(MyRecord.class)}) read the records' components reflectively: a
 * modular application opens the package that holds them to this module.
 */
module dev.sluice.core {
    requires java.management;

    exports dev.sluice;
    exports dev.sluice.csv;
    exports dev.sluice.fn;
    exports dev.sluice.json;
    exports dev.sluice.logs;
    exports dev.sluice.spi;
    exports dev.sluice.text;
}
