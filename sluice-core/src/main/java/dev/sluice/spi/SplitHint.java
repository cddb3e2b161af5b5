package dev.sluice.spi;

/**
 * What a runner would like when it asks a source for {@link SplittableSource#splits splits}: how many readers will
 * run at once, and about how much input each split should hold. A hint: a source chooses its own split sizes (a
 * table by rows, a file by bytes), and may return fewer splits or more.
 *
 * @param parallelism readers that will run at once (at least 1)
 * @param targetBytes about how many bytes of input a split should hold, where the source measures bytes
 * @param targetRecords about how many records a split should hold, where the source counts records
 */
public record SplitHint(int parallelism, long targetBytes, long targetRecords) {
    public SplitHint {
        if (parallelism < 1 || targetBytes < 1 || targetRecords < 1) {
            throw new IllegalArgumentException("a split hint needs positive values, was " + parallelism + ", "
                    + targetBytes + ", " + targetRecords);
        }
    }

    /** The local runner's default: splits of about 1 MiB or 20,000 records, for {@code parallelism} readers. */
    public static SplitHint of(int parallelism) {
        return new SplitHint(parallelism, 1 << 20, 20_000);
    }
}
