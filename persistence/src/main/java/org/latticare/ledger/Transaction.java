package org.latticare.ledger;

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
 * signature, after the domain string {@code "latticare-tx"}; the hash is SHA3-256 of the whole encoding.
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
  private final Sha3Hash hash;

  private Transaction(String submitter, long nonce, long timestampMillis, TxBody body, byte[] signature) {
    if (submitter == null || submitter.isEmpty() || body == null || signature == null) {
      throw new IllegalArgumentException("a transaction needs a submitter, a body and a signature");
    }
    this.submitter = submitter;
    this.nonce = nonce;
    this.timestampMillis = timestampMillis;
    this.body = body;
    this.signature = signature.clone();
    this.encoded = fields(new CanonicalWriter().writeInt(VERSION)).writeBytes(this.signature).toByteArray();
    this.hash = Sha3Hash.of(encoded);
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
    CanonicalReader reader = new CanonicalReader(bytes);
    Transaction transaction = read(reader);
    reader.expectEnd("transaction");
    return transaction;
  }

  public static Transaction read(CanonicalReader reader) {
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
      return new Transaction(submitter, nonce, timestamp, body, signature);
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

  public byte[] signingBytes() {
    return fields(new CanonicalWriter().writeString(DOMAIN).writeInt(VERSION)).toByteArray();
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
    return hash;
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
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return type() + " by " + submitter + " #" + nonce + " (" + hash.hex().substring(0, 12) + "…)";
  }
}
