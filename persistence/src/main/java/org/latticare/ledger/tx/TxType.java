package org.latticare.ledger.tx;

import java.util.Arrays;
import java.util.Set;

/** The tag of each transaction body in the canonical encoding, and the roles that may submit it. */
public enum TxType {
  CONSORTIUM_FOUNDED(1, TxBody.ConsortiumFounded.class, Set.of()),
  IDENTITY_ENROLLED(2, TxBody.IdentityEnrolled.class, Set.of("operator", "hospital-admin")),
  PATIENT_ENROLLED(3, TxBody.PatientEnrolled.class, Set.of("hospital-admin")),
  RECORD_ANCHORED(4, TxBody.RecordAnchored.class, Set.of("hospital-admin", "clinician")),
  ACCESS_GRANTED(5, TxBody.AccessGranted.class, Set.of("patient", "hospital-admin", "clinician")),
  ACCESS_REVOKED(6, TxBody.AccessRevoked.class, Set.of("patient", "hospital-admin", "clinician")),
  ACCESS_EXPIRED(7, TxBody.AccessExpired.class, Set.of("operator", "hospital-admin")),
  RECORD_ACCESSED(8, TxBody.RecordAccessed.class, Set.of("patient", "clinician", "hospital-admin", "researcher")),
  RECORD_ERASED(9, TxBody.RecordErased.class, Set.of("patient", "hospital-admin")),
  IDENTITY_VERIFIED(10, TxBody.IdentityVerified.class, Set.of("operator")),
  STUDY_CREATED(11, TxBody.StudyCreated.class, Set.of("researcher", "hospital-admin")),
  STATISTIC_SUBMITTED(12, TxBody.StatisticSubmitted.class, Set.of("hospital-admin")),
  AGGREGATE_RELEASED(13, TxBody.AggregateReleased.class, Set.of("operator"));

  private final int tag;
  private final Class<? extends TxBody> bodyType;
  private final Set<String> submitterRoles;

  TxType(int tag, Class<? extends TxBody> bodyType, Set<String> submitterRoles) {
    this.tag = tag;
    this.bodyType = bodyType;
    this.submitterRoles = submitterRoles;
  }

  public int tag() {
    return tag;
  }

  public Class<? extends TxBody> bodyType() {
    return bodyType;
  }

  public boolean maySubmit(String role) {
    return submitterRoles.contains(role);
  }

  public static TxType of(TxBody body) {
    return Arrays.stream(values()).filter(t -> t.bodyType == body.getClass()).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no transaction type for " + body.getClass()));
  }

  public static TxType ofTag(int tag) {
    return Arrays.stream(values()).filter(t -> t.tag == tag).findFirst()
        .orElseThrow(() -> new org.latticare.ledger.encoding.MalformedEncodingException("unknown transaction type " + tag));
  }
}
