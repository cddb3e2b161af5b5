package dev.sluice.internal;

/**
 * Internal: a source reader that can also drive a whole run by pushing, which is faster (or, for generators,
 * the only way without a thread) than being pulled with {@code next()}.
 */
public interface PushingReader<T> {
    /** Pushes every record into {@code head} until the input ends or {@code run.dead(0)}. */
    void pushAll(Downstream<Object> head, RunState run) throws Exception;
}
