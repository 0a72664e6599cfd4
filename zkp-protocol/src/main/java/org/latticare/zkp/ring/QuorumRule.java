package org.latticare.zkp.ring;

/** How many accepting verdicts out of the ring's n make the contract accept an identification. */
public record QuorumRule(int required, int ringSize) {

    public QuorumRule {
        if (ringSize < 1 || required < 1 || required > ringSize) {
            throw new IllegalArgumentException("need 1 <= required <= ring size, got " + required + " of " + ringSize);
        }
    }

    public static QuorumRule all(int ringSize) {
        return new QuorumRule(ringSize, ringSize);
    }

    /** Strictly more than half. */
    public static QuorumRule majority(int ringSize) {
        return new QuorumRule(ringSize / 2 + 1, ringSize);
    }

    public static QuorumRule atLeast(int required, int ringSize) {
        return new QuorumRule(required, ringSize);
    }
}
