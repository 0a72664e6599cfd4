package org.latticare.zkp.protocol;

/**
 * Why a protocol machine refused a message. A refused message leaves the machine in the state it was
 * in: the refusal is an answer to the sender (or a log line), never a crash and never a verdict.
 */
public enum Refusal {
    /** The message belongs to another session. */
    WRONG_SESSION,
    /** The message is valid in some state, but not in this one (e.g. a response before the challenge). */
    OUT_OF_ORDER,
    /** The message repeats one already processed (same round and attempt). */
    REPLAYED,
    /** A vector or matrix has the wrong length, ring or shape for the parameter set. */
    WRONG_DIMENSION,
    /** A value lies outside the range the parameter set allows (e.g. a residue not below q). */
    OUT_OF_RANGE,
    /** A ring pass arrived at the wrong hop or with a hop list that does not match the ring. */
    WRONG_HOP,
    /** A hop contribution or verdict signature does not verify under the sender's registered key. */
    BAD_SIGNATURE,
    /** The message contradicts what this machine already saw (commitment digest, accumulator, own hop). */
    INCONSISTENT,
    /** The bytes are not a canonical encoding of the expected message. */
    MALFORMED,
    /** The session is finished; nothing more is accepted. */
    FINISHED,
    /**
     * The prover's mask for this commitment has answered a challenge already (through this state object or
     * another one of the same session): two answers to different challenges for one mask reveal the secret key.
     */
    MASK_SPENT
}
