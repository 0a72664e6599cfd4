package org.latticare.ledger;

import org.latticare.lattice.sign.MlDsa65;
import java.util.Arrays;

import org.latticare.ledger.encoding.CanonicalCodec;
import org.latticare.ledger.encoding.CanonicalReader;
import org.latticare.ledger.encoding.CanonicalWriter;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.tx.TxBody;
import org.latticare.ledger.tx.TxType;

/**
 * A signed transaction: who submits it, a per-submitter nonce (replays are refused), when, what
 * (a {@link TxBody}), and the submitter's ML-DSA-65 signature over all of that.
 *
 * <p>Canonical encoding, version 1: {@code int version ‖ int type tag ‖ string submitter ‖ long nonce ‖
 * long timestamp ‖ bytes body ‖ bytes signature}. The signature covers the same fields without the
 * signature, after the domain string {@code "latticare-tx"}. The transaction's hash is its Merkle leaf,
 * {@code SHA3-256(0x00 ‖ encoding)} ({@link MerkleTree#leaf}), so the tree over a block reuses it.
 * A decoded transaction keeps the bytes it was decoded from (the codec admits exactly one encoding per
 * value, so they are its canonical encoding) rather than encoding itself again.
 */
public final class Transaction {

  public static final int VERSION = 1;
  public static final String GENESIS_SUBMITTER = "genesis";
  private static final String DOMAIN = "latticare-tx";

  private final String submitter;
  private final long nonce;
  private final long timestampMillis;
  private final TxBody body;
  private final byte[] signature;
  private final byte[] encoded;
  private Sha3Hash hash;

  private Transaction(String submitter, long nonce, long timestampMillis, TxBody body, byte[] signature,
      byte[] encoding) {
    if (submitter == null || submitter.isEmpty() || body == null || signature == null) {
      throw new IllegalArgumentException("a transaction needs a submitter, a body and a signature");
    }
    this.submitter = submitter;
    this.nonce = nonce;
    this.timestampMillis = timestampMillis;
    this.body = body;
    this.signature = signature.clone();
    this.encoded = encoding != null ? encoding
        : fields(new CanonicalWriter().writeInt(VERSION)).writeBytes(this.signature).toByteArray();
  }

  private Transaction(String submitter, long nonce, long timestampMillis, TxBody body, byte[] signature) {
    this(submitter, nonce, timestampMillis, body, signature, null);
  }

  public static Transaction sign(MlDsa65.KeyPair key, String submitter, long nonce, long timestampMillis, TxBody body) {
    Transaction unsigned = new Transaction(submitter, nonce, timestampMillis, body, new byte[0]);
    return new Transaction(submitter, nonce, timestampMillis, body, key.sign(unsigned.signingBytes()));
  }

  /** The one unsigned transaction: the founding of the consortium in the genesis block. */
  public static Transaction genesis(TxBody.ConsortiumFounded founding) {
    return new Transaction(GENESIS_SUBMITTER, 0, 0, founding, new byte[0]);
  }

  public static Transaction decode(byte[] bytes) {
    return decodeOwned(bytes.clone());
  }

  /** As {@link #decode}, keeping {@code bytes} itself: for a caller that just copied them out of a block. */
  static Transaction decodeOwned(byte[] bytes) {
    CanonicalReader reader = new CanonicalReader(bytes);
    Transaction transaction = read(reader, bytes);
    reader.expectEnd("transaction");
    return transaction;
  }

  private static Transaction read(CanonicalReader reader, byte[] encoding) {
    int version = reader.readInt("transaction version");
    if (version != VERSION) {
      throw new MalformedEncodingException("unknown transaction version " + version);
    }
    TxType type = TxType.ofTag(reader.readInt("transaction type"));
    String submitter = reader.readString("submitter");
    long nonce = reader.readLong("nonce");
    long timestamp = reader.readLong("timestamp");
    TxBody body = CanonicalCodec.decode(type.bodyType(), reader.readBytes("body"));
    byte[] signature = reader.readBytes("signature");
    try {
      return new Transaction(submitter, nonce, timestamp, body, signature, encoding);
    } catch (IllegalArgumentException e) {
      throw new MalformedEncodingException("transaction: " + e.getMessage());
    }
  }

  private CanonicalWriter fields(CanonicalWriter writer) {
    return writer.writeInt(TxType.of(body).tag())
        .writeString(submitter)
        .writeLong(nonce)
        .writeLong(timestampMillis)
        .writeBytes(CanonicalCodec.encode((Record) body));
  }

  /** {@code "latticare-tx" ‖ version ‖ fields}: the encoding without its signature, after the domain. */
  public byte[] signingBytes() {
    byte[] domain = new CanonicalWriter().writeString(DOMAIN).toByteArray();
    int unsignedLength = encoded.length - 4 - signature.length;
    byte[] message = new byte[domain.length + unsignedLength];
    System.arraycopy(domain, 0, message, 0, domain.length);
    System.arraycopy(encoded, 0, message, domain.length, unsignedLength);
    return message;
  }

  public boolean verifySignature(byte[] publicKey) {
    return MlDsa65.verify(publicKey, signingBytes(), signature);
  }

  public byte[] encode() {
    return encoded.clone();
  }

  public int encodedLength() {
    return encoded.length;
  }

  public Sha3Hash hash() {
    Sha3Hash computed = hash;
    if (computed == null) {
      computed = MerkleTree.leaf(encoded);
      hash = computed;
    }
    return computed;
  }

  public String submitter() {
    return submitter;
  }

  public long nonce() {
    return nonce;
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public TxBody body() {
    return body;
  }

  public TxType type() {
    return TxType.of(body);
  }

  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Transaction that && Arrays.equals(encoded, that.encoded);
  }

  @Override
  public int hashCode() {
    return hash().hashCode();
  }

  @Override
  public String toString() {
    return type() + " by " + submitter + " #" + nonce + " (" + hash().hex().substring(0, 12) + "…)";
  }
}
