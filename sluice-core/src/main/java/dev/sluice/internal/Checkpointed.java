package dev.sluice.internal;

import java.io.Serializable;

/**
 * Internal: a run-time link that holds state across records (open windows, a partial batch) and can save it at a
 * checkpoint and restore it after a restart, so a resumed run continues as if it had not stopped.
 */
public interface Checkpointed {
    /** The link's state now, between records; serializable with Java serialization. */
    Serializable snapshot() throws Exception;

    /** Restores a state that {@link #snapshot} returned, before the first record of a resumed run. */
    void restore(Serializable state) throws Exception;
}
