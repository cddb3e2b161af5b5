package dev.sluice.examples;

import dev.sluice.CloseableIterator;
import dev.sluice.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seeds' mini-batching for a paid external service: accumulate 10,000 records, make one call, stream the
 * results on. Pulled lazily, the first {@code next()} triggers one call, the next 9,999 trigger none, and the
 * 10,001st triggers the second.
 */
public final class MiniBatchService {
    private MiniBatchService() {}

    /** A stand-in for a paid service that charges per call: it counts calls and enriches a batch at a time. */
    public static final class PaidService {
        private final AtomicInteger calls = new AtomicInteger();

        /** One billable call for a whole batch. */
        public List<String> enrich(List<Long> batch) {
            calls.incrementAndGet();
            List<String> out = new ArrayList<>(batch.size());
            for (Long id : batch) {
                out.add("record-" + id + ":score=" + (id * 31 % 97));
            }
            return out;
        }

        public int calls() {
            return calls.get();
        }
    }

    /** {@code records} ids, sent to {@code service} in batches of {@code batchSize}, results streamed on. */
    public static Flow<String> enriched(long records, int batchSize, PaidService service) {
        return Flow.range(0, records).mapBatches(batchSize, service::enrich).named("paid-service");
    }

    public static void main(String[] args) {
        PaidService service = new PaidService();
        try (CloseableIterator<String> it = enriched(25_000, 10_000, service).iterator()) {
            System.out.println(it.next() + " after " + service.calls() + " call(s)");
            for (int i = 1; i < 10_000; i++) {
                it.next();
            }
            System.out.println("10,000 results after " + service.calls() + " call(s)");
            System.out.println(it.next() + " after " + service.calls() + " call(s)");
        }
    }
}
