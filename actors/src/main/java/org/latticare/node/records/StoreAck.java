package org.latticare.node.records;

import java.util.List;
import java.util.Optional;

import org.latticare.cluster.CborSerializable;

/**
 * One node's answer to a step of storing a record: {@code code} is null when the step succeeded; a
 * finished record also names its digest (hex), size and chunk count as that node computed them.
 */
public record StoreAck(String nodeId, String recordId, String code, String message, String digest, long bytes,
    int chunks) implements CborSerializable {

  public static StoreAck ok(String nodeId, String recordId) {
    return new StoreAck(nodeId, recordId, null, null, null, 0, 0);
  }

  public static StoreAck refused(String nodeId, String recordId, String code, String message) {
    return new StoreAck(nodeId, recordId, code, message, null, 0, 0);
  }

  public boolean succeeded() {
    return code == null;
  }

  /**
   * What a step achieved across the consortium: it counts only if this node's own store took it, and
   * a finished record only on the nodes whose digest is this node's (a node that missed a chunk
   * computes another). {@code stored} is how many nodes hold it, {@code needed} the majority of the
   * consortium's {@code members}.
   */
  public record Tally(boolean here, int stored, int needed, Optional<StoreAck> local, List<StoreAck> refusals) {
    public boolean majority() {
      return here && stored >= needed;
    }
  }

  public static Tally tally(String localNodeId, List<StoreAck> acks, int members) {
    Optional<StoreAck> local = acks.stream().filter(a -> a.nodeId().equals(localNodeId)).findFirst();
    boolean here = local.map(StoreAck::succeeded).orElse(false);
    int stored = 0;
    if (here) {
      String digest = local.get().digest();
      stored = (int) acks.stream().filter(StoreAck::succeeded)
          .filter(a -> digest == null ? a.digest() == null : digest.equals(a.digest()))
          .map(StoreAck::nodeId).distinct().count();
    }
    return new Tally(here, stored, members / 2 + 1, local,
        acks.stream().filter(a -> !a.succeeded()).toList());
  }
}
