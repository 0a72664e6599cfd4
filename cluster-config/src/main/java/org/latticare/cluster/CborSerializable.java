package org.latticare.cluster;

/**
 * Marker for every message, event and snapshot that leaves a JVM or reaches the journal.
 *
 * <p>{@code latticare.conf} binds it to Akka's {@code jackson-cbor} serializer; Java serialization stays
 * off, so a type that crosses nodes without this marker fails loudly instead of silently falling back. The
 * messages that carry blocks or batches of transactions are bound class by class to Latticare's own serializers
 * (see the {@code reference.conf} of {@code persistence/} and {@code actors/}), which outrank this binding.
 */
public interface CborSerializable {
}
