package org.latticare.ledger.replica;

import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.util.Map;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.ByteBufferSerializer;
import akka.serialization.SerializerWithStringManifest;
import org.latticare.ledger.encoding.CanonicalReader;
import org.latticare.ledger.encoding.CanonicalWriter;
import org.latticare.ledger.encoding.MalformedEncodingException;

/**
 * An Akka serializer for messages that carry blocks or batches of transactions between nodes: their fields in
 * the chain's own layout ({@link CanonicalWriter}), a block or a transaction as its canonical bytes behind its
 * length, an {@link ActorRef} as {@link ActorRefResolver}'s text. Jackson's CBOR encoded a megabyte block once
 * into an array that Artery then copied into its frame, and decoded it on arrival through a parser; here Artery's
 * buffer is written and read directly ({@link ByteBufferSerializer}), so the block is copied once each way.
 *
 * <p>Input from the network is checked as the ledger's own encodings are: every length against what is left of
 * the frame and against Artery's largest frame ({@code akka.remote.artery.advanced.maximum-large-frame-size}),
 * trailing bytes refused, so a forged length fails with a {@link NotSerializableException} naming the message and
 * field instead of allocating. Artery then logs and drops the message.
 *
 * <p>Subclasses bind message classes to manifests; {@code reference.conf} of their module declares them.
 */
public abstract class CanonicalMessageSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {

  private final ExtendedActorSystem system;
  private final int identifier;
  private final Map<Class<?>, String> manifests;
  private final int maxFrameBytes;
  /** Looked up on first use: serializers are created while the actor system starts, before its extensions. */
  private volatile ActorRefResolver resolver;

  /** {@code manifests}: the name each message class this serializer writes travels under. */
  protected CanonicalMessageSerializer(ExtendedActorSystem system, int identifier, Map<Class<?>, String> manifests) {
    this.system = system;
    this.identifier = identifier;
    this.manifests = Map.copyOf(manifests);
    long frame = system.settings().config().getBytes("akka.remote.artery.advanced.maximum-large-frame-size");
    this.maxFrameBytes = (int) Math.min(Integer.MAX_VALUE - 8, frame);
  }

  /** Writes {@code message}'s fields; an {@link IllegalArgumentException} for a class this serializer does not bind. */
  protected abstract void write(Object message, CanonicalWriter out);

  /** Reads a message of the kind {@code manifest} names; {@code null} for a manifest this serializer does not know. */
  protected abstract Object read(String manifest, CanonicalReader in);

  /** About how many bytes {@code message} takes, to size the array of {@link #toBinary(Object)}. */
  protected abstract int sizeHint(Object message);

  @Override
  public final int identifier() {
    return identifier;
  }

  @Override
  public final String manifest(Object message) {
    String manifest = message == null ? null : manifests.get(message.getClass());
    if (manifest == null) {
      throw unbound(message);
    }
    return manifest;
  }

  @Override
  public final void toBinary(Object message, ByteBuffer buffer) {
    write(message, CanonicalWriter.into(buffer));
  }

  @Override
  public final byte[] toBinary(Object message) {
    CanonicalWriter out = new CanonicalWriter(sizeHint(message));
    write(message, out);
    return out.toByteArray();
  }

  @Override
  public final Object fromBinary(ByteBuffer buffer, String manifest) throws NotSerializableException {
    try {
      CanonicalReader in = new CanonicalReader(buffer);
      Object message = read(manifest, in);
      if (message == null) {
        throw new NotSerializableException(getClass().getSimpleName() + " knows no manifest '" + manifest + "'");
      }
      in.expectEnd(manifest);
      return message;
    } catch (MalformedEncodingException e) {
      NotSerializableException refused = new NotSerializableException("malformed " + manifest + ": " + e.getMessage());
      refused.initCause(e);
      throw refused;
    }
  }

  @Override
  public final Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return fromBinary(ByteBuffer.wrap(bytes), manifest);
  }

  /** A block, a transaction or a batch's item: up to the largest frame Artery carries. */
  protected final byte[] readPayload(CanonicalReader in, String field) {
    return in.readBytes(field, maxFrameBytes);
  }

  /** A count of items that each take at least {@code minItemBytes}: no more than the largest frame can hold. */
  protected final int readCount(CanonicalReader in, String field, int minItemBytes) {
    return in.readCount(field, maxFrameBytes / minItemBytes);
  }

  protected final void writeRef(CanonicalWriter out, ActorRef<?> ref) {
    if (ref == null) {
      throw new IllegalArgumentException("an actor reference is missing");
    }
    out.writeString(resolver().toSerializationFormat(ref));
  }

  protected final <T> ActorRef<T> readRef(CanonicalReader in, String field) {
    return resolver().resolveActorRef(in.readString(field));
  }

  /** Text that may be absent: a presence flag, then the text. */
  protected static void writeOptionalString(CanonicalWriter out, String text) {
    out.writeBoolean(text != null);
    if (text != null) {
      out.writeString(text);
    }
  }

  protected static String readOptionalString(CanonicalReader in, String field) {
    return in.readBoolean(field + " present") ? in.readString(field) : null;
  }

  protected final IllegalArgumentException unbound(Object message) {
    return new IllegalArgumentException(getClass().getSimpleName() + " does not serialize "
        + (message == null ? "null" : message.getClass().getName()));
  }

  private ActorRefResolver resolver() {
    ActorRefResolver found = resolver;
    if (found == null) {
      found = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = found;
    }
    return found;
  }
}
