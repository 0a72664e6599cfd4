package org.latticare.ledger;

import org.latticare.ledger.encoding.CanonicalReader;
import org.latticare.ledger.encoding.CanonicalWriter;
import org.latticare.ledger.encoding.MalformedEncodingException;

/**
 * The hash-linked part of a block; the block's hash is SHA3-256 of its canonical encoding.
 *
 * @param version encoding version, so that a later layout can coexist with blocks already on chain
 * @param height 0 for genesis, then consecutive
 * @param previousHash hash of the block at {@code height - 1}; {@link Sha3Hash#ZERO} for genesis
 * @param merkleRoot {@link MerkleTree} root over the block's transactions
 * @param transactionCount how many transactions the block carries
 * @param timestampMillis producer's wall clock; never before the previous block's
 * @param producerId node id of the consortium member that produced and signed the block
 */
public record BlockHeader(int version, long height, Sha3Hash previousHash, Sha3Hash merkleRoot,
    int transactionCount, long timestampMillis, String producerId) {

  public static final int CURRENT_VERSION = 1;

  public BlockHeader {
    if (version != CURRENT_VERSION) {
      throw new IllegalArgumentException("unknown block header version " + version);
    }
    if (height < 0 || transactionCount < 0) {
      throw new IllegalArgumentException("block height and transaction count must not be negative");
    }
    if (previousHash == null || merkleRoot == null || producerId == null || producerId.isEmpty()) {
      throw new IllegalArgumentException("block header needs previous hash, Merkle root and producer id");
    }
  }

  public CanonicalWriter write(CanonicalWriter writer) {
    return writer.writeInt(version)
        .writeLong(height)
        .writeBytes(previousHash.bytes())
        .writeBytes(merkleRoot.bytes())
        .writeInt(transactionCount)
        .writeLong(timestampMillis)
        .writeString(producerId);
  }

  public static BlockHeader read(CanonicalReader reader) {
    int version = reader.readInt("block version");
    if (version != CURRENT_VERSION) {
      throw new MalformedEncodingException("unknown block header version " + version);
    }
    try {
      return new BlockHeader(version, reader.readLong("height"), hash(reader, "previous hash"),
          hash(reader, "Merkle root"), reader.readInt("transaction count"), reader.readLong("timestamp"),
          reader.readString("producer id"));
    } catch (IllegalArgumentException e) {
      throw e instanceof MalformedEncodingException ? e : new MalformedEncodingException("block header: " + e.getMessage());
    }
  }

  /** A header alone, from exactly its canonical encoding. */
  public static BlockHeader decode(byte[] bytes) {
    CanonicalReader reader = new CanonicalReader(bytes);
    BlockHeader header = read(reader);
    reader.expectEnd("block header");
    return header;
  }

  private static Sha3Hash hash(CanonicalReader reader, String field) {
    byte[] bytes = reader.readBytes(field);
    if (bytes.length != Sha3Hash.LENGTH) {
      throw new MalformedEncodingException(field + ": a hash has " + Sha3Hash.LENGTH + " bytes, not " + bytes.length);
    }
    return new Sha3Hash(bytes);
  }

  public byte[] canonicalBytes() {
    return write(new CanonicalWriter()).toByteArray();
  }

  public Sha3Hash hash() {
    return Sha3Hash.of(canonicalBytes());
  }
}
