/**
 * The connector SPI: what a source or sink implements beyond {@link dev.sluice.Source} and {@link dev.sluice.Sink}
 * to be read in parallel splits. Free of runtime internals, so a connector written against it runs on every runner.
 * Positions ({@link dev.sluice.SourceReader#position()}, {@link dev.sluice.Source#open(dev.sluice.SourceContext,
 * dev.sluice.Position)}) and the commit barrier ({@link dev.sluice.SinkWriter#prepare()}) are part of the base
 * interfaces.
 */
package dev.sluice.spi;
