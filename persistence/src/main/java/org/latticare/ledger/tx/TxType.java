package org.latticare.ledger.tx;

import java.util.Arrays;
import java.util.Set;

/**
 * The tag of each transaction body in the canonical encoding, the contract whose rules govern it, and
 * the roles that may submit it. Tags are never reused: a new layout gets a new tag.
 */
public enum TxType {
  CONSORTIUM_FOUNDED(1, TxBody.ConsortiumFounded.class, Contract.IDENTITY),
  IDENTITY_ENROLLED(2, TxBody.IdentityEnrolled.class, Contract.IDENTITY, Role.HOSPITAL_ADMIN),
  PATIENT_ENROLLED(3, TxBody.PatientEnrolled.class, Contract.IDENTITY, Role.HOSPITAL_ADMIN),
  RECORD_ANCHORED(4, TxBody.RecordAnchored.class, Contract.ACCESS, Role.HOSPITAL_ADMIN, Role.CLINICIAN),
  ACCESS_GRANTED(5, TxBody.AccessGranted.class, Contract.ACCESS, Role.PATIENT, Role.HOSPITAL_ADMIN, Role.CLINICIAN),
  ACCESS_REVOKED(6, TxBody.AccessRevoked.class, Contract.ACCESS, Role.PATIENT, Role.HOSPITAL_ADMIN, Role.CLINICIAN),
  ACCESS_EXPIRED(7, TxBody.AccessExpired.class, Contract.ACCESS, Role.OPERATOR, Role.HOSPITAL_ADMIN),
  RECORD_ACCESSED(8, TxBody.RecordAccessed.class, Contract.ACCESS, Role.PATIENT, Role.CLINICIAN, Role.HOSPITAL_ADMIN,
      Role.RESEARCHER),
  RECORD_ERASED(9, TxBody.RecordErased.class, Contract.ACCESS, Role.PATIENT, Role.HOSPITAL_ADMIN),
  IDENTITY_VERIFIED_V1(10, TxBody.IdentityVerifiedV1.class, Contract.IDENTITY, Role.OPERATOR),
  STUDY_CREATED(11, TxBody.StudyCreated.class, Contract.STUDY, Role.RESEARCHER, Role.HOSPITAL_ADMIN),
  STATISTIC_SUBMITTED(12, TxBody.StatisticSubmitted.class, Contract.STUDY, Role.HOSPITAL_ADMIN),
  AGGREGATE_RELEASED(13, TxBody.AggregateReleased.class, Contract.STUDY, Role.OPERATOR),
  IDENTITY_VERIFIED(14, TxBody.IdentityVerified.class, Contract.IDENTITY, Role.OPERATOR),
  CONSORTIUM_ENROLLED(15, TxBody.ConsortiumEnrolled.class, Contract.IDENTITY, Role.HOSPITAL_ADMIN, Role.OPERATOR),
  BREAK_GLASS(16, TxBody.BreakGlass.class, Contract.ACCESS, Role.CLINICIAN);

  /** The contract whose rules govern a transaction type. */
  public enum Contract { IDENTITY, ACCESS, STUDY }

  private final int tag;
  private final Class<? extends TxBody> bodyType;
  private final Contract contract;
  private final Set<Role> submitterRoles;

  TxType(int tag, Class<? extends TxBody> bodyType, Contract contract, Role... submitterRoles) {
    this.tag = tag;
    this.bodyType = bodyType;
    this.contract = contract;
    this.submitterRoles = Set.of(submitterRoles);
  }

  public Contract contract() {
    return contract;
  }

  public int tag() {
    return tag;
  }

  public Class<? extends TxBody> bodyType() {
    return bodyType;
  }

  public boolean maySubmit(String role) {
    return Role.find(role).filter(submitterRoles::contains).isPresent();
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
