package org.latticare.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree over a block's transactions, with proofs of inclusion.
 *
 * <p>Leaves are {@code SHA3-256(0x00 ‖ transaction encoding)} and inner nodes
 * {@code SHA3-256(0x01 ‖ left ‖ right)}: the prefixes keep a leaf from passing for an inner node
 * (RFC 6962). A level with an odd count promotes its last node unchanged rather than pairing it with
 * itself, so no two different transaction lists share a root (the duplication flaw of CVE-2012-2459).
 * The root of no transactions is {@code SHA3-256("")}.
 */
public final class MerkleTree {

  /** One step of a proof: the sibling's hash and whether it stands on the left. */
  public record Step(Sha3Hash sibling, boolean siblingOnLeft) {}

  private MerkleTree() {}

  public static Sha3Hash leaf(byte[] transactionEncoding) {
    byte[] input = new byte[transactionEncoding.length + 1];
    System.arraycopy(transactionEncoding, 0, input, 1, transactionEncoding.length);
    return Sha3Hash.of(input);
  }

  public static Sha3Hash root(List<Sha3Hash> leaves) {
    if (leaves.isEmpty()) {
      return Sha3Hash.of(new byte[0]);
    }
    List<Sha3Hash> level = leaves;
    while (level.size() > 1) {
      level = parents(level);
    }
    return level.get(0);
  }

  public static List<Step> proof(List<Sha3Hash> leaves, int index) {
    if (index < 0 || index >= leaves.size()) {
      throw new IndexOutOfBoundsException("no leaf " + index + " among " + leaves.size());
    }
    List<Step> steps = new ArrayList<>();
    List<Sha3Hash> level = leaves;
    int position = index;
    while (level.size() > 1) {
      int sibling = position ^ 1;
      if (sibling < level.size()) {
        steps.add(new Step(level.get(sibling), sibling < position));
      }
      level = parents(level);
      position /= 2;
    }
    return steps;
  }

  public static boolean verify(Sha3Hash leaf, List<Step> proof, Sha3Hash root) {
    Sha3Hash node = leaf;
    for (Step step : proof) {
      node = step.siblingOnLeft() ? node(step.sibling(), node) : node(node, step.sibling());
    }
    return node.equals(root);
  }

  private static List<Sha3Hash> parents(List<Sha3Hash> level) {
    List<Sha3Hash> parents = new ArrayList<>((level.size() + 1) / 2);
    for (int i = 0; i + 1 < level.size(); i += 2) {
      parents.add(node(level.get(i), level.get(i + 1)));
    }
    if (level.size() % 2 == 1) {
      parents.add(level.get(level.size() - 1));
    }
    return parents;
  }

  private static Sha3Hash node(Sha3Hash left, Sha3Hash right) {
    byte[] input = new byte[1 + 2 * Sha3Hash.LENGTH];
    input[0] = 1;
    System.arraycopy(left.bytes(), 0, input, 1, Sha3Hash.LENGTH);
    System.arraycopy(right.bytes(), 0, input, 1 + Sha3Hash.LENGTH, Sha3Hash.LENGTH);
    return Sha3Hash.of(input);
  }
}
