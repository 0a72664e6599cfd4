package org.latticare.ledger;

/**
 * The hash-linked part of a block: its SHA3-256 over the canonical encoding is the block's hash.
 *
 * @param version encoding version, so a later layout can coexist with blocks already on chain
 * @param height 0 for genesis, then consecutive
 * @param previousHash hash of the block at {@code height - 1}; {@link Sha3Hash#ZERO} for genesis
 * @param bodyRoot hash of the block's entries ({@link Block#bodyRootOf})
 * @param timestampMillis producer's wall clock; never before the previous block's
 * @param producerId node id of the producer (genesis: {@code "genesis"})
 */
public record BlockHeader(
    int version, long height, Sha3Hash previousHash, Sha3Hash bodyRoot, long timestampMillis, String producerId) {

  public static final int CURRENT_VERSION = 1;

  public BlockHeader {
    if (version != CURRENT_VERSION) {
      throw new IllegalArgumentException("unknown block header version " + version);
    }
    if (height < 0) {
      throw new IllegalArgumentException("block height must not be negative: " + height);
    }
    if (previousHash == null || bodyRoot == null || producerId == null || producerId.isEmpty()) {
      throw new IllegalArgumentException("block header needs previous hash, body root and producer id");
    }
  }

  public byte[] canonicalBytes() {
    return new CanonicalWriter()
        .writeInt(version)
        .writeLong(height)
        .writeBytes(previousHash.bytes())
        .writeBytes(bodyRoot.bytes())
        .writeLong(timestampMillis)
        .writeString(producerId)
        .toByteArray();
  }

  public Sha3Hash hash() {
    return Sha3Hash.of(canonicalBytes());
  }
}
