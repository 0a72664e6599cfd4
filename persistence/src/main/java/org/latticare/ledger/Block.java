package org.latticare.ledger;

import org.latticare.lattice.sign.MlDsa65;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.latticare.ledger.encoding.CanonicalReader;
import org.latticare.ledger.encoding.CanonicalWriter;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.tx.TxBody;

/**
 * A block: header, the producer's ML-DSA-65 signature over it, and the transactions.
 *
 * <p>Canonical encoding: {@code header ‖ bytes signature ‖ int count ‖ count × bytes transaction}. The
 * signature covers {@code "latticare-block" ‖ header}; the header commits to the transactions through
 * its Merkle root, so the signature covers them too. This encoding is what the journal stores.
 */
public final class Block {

  /** Most transactions in one block: bounds what a forged count can make a decoder allocate. */
  public static final int MAX_TRANSACTIONS = 10_000;
  public static final String GENESIS_PRODUCER = "genesis";
  private static final String DOMAIN = "latticare-block";

  private final BlockHeader header;
  private final byte[] signature;
  private final List<Transaction> transactions;
  private final Sha3Hash hash;

  public Block(BlockHeader header, byte[] signature, List<Transaction> transactions) {
    this.header = header;
    this.signature = signature.clone();
    this.transactions = List.copyOf(transactions);
    this.hash = header.hash();
  }

  /** The first block of a consortium: unsigned, the same on every node given the same founding. */
  public static Block genesis(TxBody.ConsortiumFounded founding) {
    List<Transaction> transactions = List.of(Transaction.genesis(founding));
    BlockHeader header = new BlockHeader(BlockHeader.CURRENT_VERSION, 0, Sha3Hash.ZERO, merkleRoot(transactions),
        1, 0L, GENESIS_PRODUCER);
    return new Block(header, new byte[0], transactions);
  }

  /** Builds and signs the block that follows {@code previous}. */
  public static Block produce(Block previous, List<Transaction> transactions, String producerId,
      MlDsa65.KeyPair producerKey, long timestampMillis) {
    BlockHeader header = nextHeader(previous.header(), merkleRoot(transactions), transactions.size(), producerId,
        timestampMillis);
    return new Block(header, producerKey.sign(signingBytes(header)), transactions);
  }

  /** A block signed and encoded, not decoded: what a producer sends. */
  public record Signed(BlockHeader header, byte[] encoding) {
    public Sha3Hash hash() {
      return header.hash();
    }
  }

  /**
   * Builds, signs and encodes the block that follows {@code previous} from transactions that are
   * already encoded, given their Merkle leaves ({@link Transaction#hash}), so that a producer need not
   * decode and hash again what its node has already checked. Every replica recomputes the leaves, so a
   * wrong one only gets the block refused.
   */
  public static Signed sign(BlockHeader previous, List<byte[]> transactions, List<Sha3Hash> leaves,
      String producerId, MlDsa65.KeyPair producerKey, long timestampMillis) {
    if (leaves.size() != transactions.size()) {
      throw new IllegalArgumentException(transactions.size() + " transactions but " + leaves.size() + " leaves");
    }
    BlockHeader header = nextHeader(previous, MerkleTree.root(leaves), transactions.size(), producerId,
        timestampMillis);
    return new Signed(header, encode(header, producerKey.sign(signingBytes(header)), transactions));
  }

  private static BlockHeader nextHeader(BlockHeader previous, Sha3Hash merkleRoot, int count, String producerId,
      long timestampMillis) {
    return new BlockHeader(BlockHeader.CURRENT_VERSION, previous.height() + 1, previous.hash(), merkleRoot, count,
        Math.max(timestampMillis, previous.timestampMillis()), producerId);
  }

  public static Sha3Hash merkleRoot(List<Transaction> transactions) {
    return MerkleTree.root(leaves(transactions));
  }

  public static List<Sha3Hash> leaves(List<Transaction> transactions) {
    List<Sha3Hash> leaves = new ArrayList<>(transactions.size());
    transactions.forEach(tx -> leaves.add(tx.hash()));
    return leaves;
  }

  public static byte[] signingBytes(BlockHeader header) {
    return header.write(new CanonicalWriter().writeString(DOMAIN)).toByteArray();
  }

  public byte[] encode() {
    return encode(header, signature, transactions.stream().map(Transaction::encode).toList());
  }

  private static byte[] encode(BlockHeader header, byte[] signature, List<byte[]> transactions) {
    int size = 512 + signature.length + 4 * transactions.size();
    for (byte[] tx : transactions) {
      size += tx.length;
    }
    CanonicalWriter writer = header.write(new CanonicalWriter(size)).writeBytes(signature).writeInt(transactions.size());
    transactions.forEach(writer::writeBytes);
    return writer.toByteArray();
  }

  /**
   * The header of an encoded block (which begins with it), without reading its transactions: enough for its height,
   * link and hash. Nothing after the header is checked; {@link #decode} checks the whole.
   */
  public static BlockHeader headerOf(byte[] bytes) {
    return BlockHeader.read(new CanonicalReader(bytes));
  }

  public static Block decode(byte[] bytes) {
    CanonicalReader reader = new CanonicalReader(bytes);
    BlockHeader header = BlockHeader.read(reader);
    byte[] signature = reader.readBytes("block signature");
    int count = reader.readCount("transactions", MAX_TRANSACTIONS);
    List<Transaction> transactions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      transactions.add(Transaction.decodeOwned(reader.readBytes("transaction " + i)));
    }
    reader.expectEnd("block");
    return new Block(header, signature, transactions);
  }

  public boolean verifySignature(byte[] producerPublicKey) {
    return MlDsa65.verify(producerPublicKey, signingBytes(header), signature);
  }

  public BlockHeader header() {
    return header;
  }

  public long height() {
    return header.height();
  }

  public Sha3Hash hash() {
    return hash;
  }

  public byte[] signature() {
    return signature.clone();
  }

  public List<Transaction> transactions() {
    return transactions;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Block that && hash.equals(that.hash) && Arrays.equals(signature, that.signature)
        && transactions.equals(that.transactions);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "Block " + height() + " (" + hash.hex().substring(0, 12) + "…, " + transactions.size() + " transactions)";
  }
}
