package dev.sluice.internal;

import dev.sluice.Sink;
import dev.sluice.Source;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Internal: how public classes of this library offer the runner internal capabilities without implementing internal
 * interfaces (which would put internal types in their public API). A class registers a hook for its type in its
 * static initializer, which has run by the time a run sees one of its instances.
 */
public final class Hooks {
    private Hooks() {}

    private static volatile Function<dev.sluice.Plan, Stage> planTail;

    /** For {@link dev.sluice.Plan}'s static initializer: how other runners read a plan's graph. */
    public static void planTail(Function<dev.sluice.Plan, Stage> hook) {
        planTail = hook;
    }

    /**
     * A plan's last node, from which its graph is walked ({@link Stage#inputs()}): for runners outside this module,
     * such as the Flink runner, which translate nodes by type.
     */
    public static Stage tail(dev.sluice.Plan plan) {
        return planTail.apply(plan);
    }

    private static final Map<Class<?>, Function<Object, Splittable>> SPLITS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Function<Object, ChunkEncoding<?>>> ENCODINGS = new ConcurrentHashMap<>();

    /** Sources of {@code type} can be read in speculative byte-range chunks, through {@code hook}. */
    public static <S extends Source<?>> void splits(Class<S> type, Function<S, Splittable> hook) {
        SPLITS.put(type, o -> hook.apply(type.cast(o)));
    }

    /** Sinks of {@code type} can encode chunks on workers, through {@code hook}. */
    public static <S extends Sink<?>> void encoding(Class<S> type, Function<S, ChunkEncoding<?>> hook) {
        ENCODINGS.put(type, o -> hook.apply(type.cast(o)));
    }

    private static final Map<Class<?>, dev.sluice.internal.spill.SpillCodec<?>> SPILL = new ConcurrentHashMap<>();

    /** Records of exactly {@code type} are written to spill pages and files by {@code codec}. */
    public static <T> void spillCodec(Class<T> type, dev.sluice.internal.spill.SpillCodec<T> codec) {
        SPILL.put(type, codec);
    }

    /** The spill codec for records of exactly {@code type}, or null. */
    public static dev.sluice.internal.spill.SpillCodec<?> spillCodec(Class<?> type) {
        return SPILL.get(type);
    }

    private static final Map<Class<?>, dev.sluice.internal.spill.TextKeys> TEXT_KEYS = new ConcurrentHashMap<>();

    /** Rows of exactly {@code type} append text key columns from their bytes through {@code keys}. */
    public static void textKeys(Class<? extends dev.sluice.Row> type, dev.sluice.internal.spill.TextKeys keys) {
        TEXT_KEYS.put(type, keys);
    }

    /** The text-key hook for rows of exactly {@code type}, or null. */
    public static dev.sluice.internal.spill.TextKeys textKeys(Class<?> type) {
        return TEXT_KEYS.get(type);
    }

    private static final Map<Class<?>, Function<Object, String>> RAW_TEXT = new ConcurrentHashMap<>();

    /** Records of exactly {@code type} say what their input text was through {@code hook} (a CSV row's line). */
    @SuppressWarnings("unchecked")
    public static <T> void rawText(Class<T> type, Function<T, String> hook) {
        RAW_TEXT.put(type, (Function<Object, String>) hook);
    }

    /** The input text {@code record} was read from, when its type keeps it (a CSV row); null otherwise. */
    public static String rawText(Object record) {
        Function<Object, String> hook = record == null ? null : RAW_TEXT.get(record.getClass());
        return hook == null ? null : hook.apply(record);
    }

    /** {@code source}'s speculative splitting, or null. */
    static Splittable splittable(Source<?> source) {
        if (source instanceof Splittable s) {
            return s;
        }
        Function<Object, Splittable> hook = SPLITS.get(source.getClass());
        return hook == null ? null : hook.apply(source);
    }

    /** {@code sink}'s chunk encoding, or null. */
    @SuppressWarnings("unchecked")
    public static ChunkEncoding<Object> encoding(Sink<?> sink) {
        if (sink instanceof ChunkEncoding<?> e) {
            return (ChunkEncoding<Object>) e;
        }
        Function<Object, ChunkEncoding<?>> hook = sink == null ? null : ENCODINGS.get(sink.getClass());
        return hook == null ? null : (ChunkEncoding<Object>) hook.apply(sink);
    }
}
