package org.latticare.lattice.additive;

/** A node refuses to help decrypt an aggregate of fewer records than the study's minimum cohort. */
public final class CohortTooSmallException extends RuntimeException {

    public CohortTooSmallException(int records, int minimum) {
        super("aggregate covers " + records + " records, the study requires at least " + minimum);
    }
}
