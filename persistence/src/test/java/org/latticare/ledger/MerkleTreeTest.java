package org.latticare.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  private static List<Sha3Hash> leaves(int count) {
    List<Sha3Hash> leaves = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      leaves.add(MerkleTree.leaf(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
    return leaves;
  }

  @Test
  void everyLeafHasAProofForTreesOfEverySizeUpTo33() {
    for (int size = 1; size <= 33; size++) {
      List<Sha3Hash> leaves = leaves(size);
      Sha3Hash root = MerkleTree.root(leaves);
      for (int i = 0; i < size; i++) {
        List<MerkleTree.Step> proof = MerkleTree.proof(leaves, i);
        assertThat(MerkleTree.verify(leaves.get(i), proof, root)).as("leaf %d of %d", i, size).isTrue();
        if (size > 1) {
          Sha3Hash other = leaves.get((i + 1) % size);
          assertThat(MerkleTree.verify(other, proof, root)).as("wrong leaf %d of %d", i, size).isFalse();
        }
      }
    }
  }

  @Test
  void rootChangesWithOrderContentAndDuplicatedLastLeaf() {
    List<Sha3Hash> three = leaves(3);
    Sha3Hash root = MerkleTree.root(three);
    assertThat(MerkleTree.root(List.of(three.get(1), three.get(0), three.get(2)))).isNotEqualTo(root);
    assertThat(MerkleTree.root(List.of(three.get(0), three.get(1), three.get(2), three.get(2))))
        .as("no CVE-2012-2459 duplicate-leaf collision").isNotEqualTo(root);
    assertThat(MerkleTree.root(List.of(three.get(0)))).as("a single leaf is its own root").isEqualTo(three.get(0));
  }

  @Test
  void aLeafCannotPassForAnInnerNode() {
    List<Sha3Hash> two = leaves(2);
    Sha3Hash root = MerkleTree.root(two);
    byte[] concatenated = new byte[64];
    System.arraycopy(two.get(0).bytes(), 0, concatenated, 0, 32);
    System.arraycopy(two.get(1).bytes(), 0, concatenated, 32, 32);
    assertThat(MerkleTree.leaf(concatenated)).isNotEqualTo(root);
  }
}
