package dev.sluice.internal;

import java.lang.ref.Cleaner;

/** Internal: the one cleaner thread that closes abandoned iterators' sources. */
final class Cleaners {
    static final Cleaner CLEANER = Cleaner.create();

    private Cleaners() {}
}
