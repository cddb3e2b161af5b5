package dev.sluice.internal;

/**
 * Internal, not part of the API. A sink whose output a parallel run can encode on the workers, chunk by chunk,
 * so the coordinator only appends bytes in order.
 */
public interface ChunkEncoding<T> {
    /** A fresh encoder for one chunk; used by one worker thread. */
    Encoder<T> newEncoder();

    /**
     * The records of an encoded chunk, read back (for a writer that cannot append the chunk as it is, e.g. its
     * header differs from the file's): a runner that sends encoded chunks to another process writes them one by one.
     * Their values equal the encoded ones as text.
     */
    default java.util.List<T> records(Object chunk) throws Exception {
        throw new UnsupportedOperationException("this encoding cannot be read back");
    }

    /** Encodes one chunk's records. */
    interface Encoder<T> {
        void write(T record) throws Exception;

        /** How many records were written. */
        long count();

        /** The encoded chunk, for {@link Writer#writeEncoded}; {@link java.io.Serializable}, to travel to a writer elsewhere. */
        Object finish() throws Exception;
    }

    /** Implemented by the sink's writer: appends an encoded chunk. */
    interface Writer {
        /**
         * Appends a chunk; returns false if it cannot (e.g. its header differs from the file's), in which case the
         * coordinator writes the chunk's records one by one instead.
         */
        boolean writeEncoded(Object chunk) throws Exception;
    }
}
