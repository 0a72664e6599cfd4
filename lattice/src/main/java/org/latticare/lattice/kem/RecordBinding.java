package org.latticare.lattice.kem;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a sealed record belongs to: its record id and its patient's pseudonym. Both are bound into
 * every chunk's and every envelope's associated data, and the reader states the binding it expects
 * when opening ({@link RecordEncryption#opener}): a record handed over in place of another, or another
 * patient's, does not open.
 */
public record RecordBinding(String recordId, String pseudonym) {

    public RecordBinding {
        if (recordId == null || recordId.isEmpty() || pseudonym == null || pseudonym.isEmpty()) {
            throw new IllegalArgumentException("a record binding needs a record id and a pseudonym");
        }
    }

    /** Length-prefixed UTF-8 of both ids: unambiguous, so no two bindings encode alike. */
    byte[] encode() {
        byte[] id = recordId.getBytes(StandardCharsets.UTF_8);
        byte[] patient = pseudonym.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + id.length + patient.length)
                .putInt(id.length).put(id).putInt(patient.length).put(patient).array();
    }
}
