package org.latticare.ledger.rules;

import java.util.Optional;

import org.latticare.ledger.tx.Role;
import org.latticare.ledger.tx.TxBody;
import org.latticare.ledger.tx.TxType;

/**
 * "May this identity do this to this record (or this patient's views) now?", answered from the chain's
 * state alone. The ledger's access rules ask it for every logged read, and the access contract asks
 * it for every request, so both give one answer.
 *
 * <ul>
 *   <li><b>Read a record</b>: the patient who owns it, a clinician of the organisation that anchored it,
 *       or a grantee whose grant is not revoked, within its period at {@code timeMillis} (block time), and,
 *       for a consent, permits access for the read's purpose.</li>
 *   <li><b>A patient's views</b> (its transactions, grants, access log): the patient, its hospital's
 *       privacy officer, and the active grantees of any of its records. An unknown pseudonym gets the
 *       same answer as a forbidden one, so the view is no oracle for who is enrolled.</li>
 *   <li><b>A patient's notifications</b>: the patient and its hospital's privacy officer; only the
 *       patient marks them seen.</li>
 *   <li><b>Manage a record</b> (grant, revoke, erase): the patient who owns it, or staff of the
 *       organisation that anchored it (the transaction type limits which roles).</li>
 * </ul>
 */
public final class AccessPolicy {

  private AccessPolicy() {}

  /**
   * Whether {@code caller} may read the record at {@code timeMillis} for {@code purpose} (an HL7 v3
   * PurposeOfUse code, checked against a grant's consent; the owner and the anchoring hospital's
   * clinicians read for any purpose).
   */
  public static Optional<Rejection> mayRead(LedgerView view, TxBody.Identity caller, String recordId, long timeMillis,
      String purpose) {
    Optional<Rejection> live = liveRecord(view, recordId);
    if (live.isPresent()) {
      return live;
    }
    LedgerView.RecordInfo record = view.record(recordId).orElseThrow();
    if (owns(caller, record) || (is(caller, Role.CLINICIAN) && caller.organisation().equals(record.organisation()))) {
      return Optional.empty();
    }
    Optional<LedgerView.Grant> grant = view.grant(recordId, caller.identityId());
    if (grant.isEmpty()) {
      return deny(Rejection.Code.NO_ACCESS, "'" + caller.identityId() + "' holds no grant on record '" + recordId + "'");
    }
    if (grant.get().revoked()) {
      return deny(Rejection.Code.ACCESS_REVOKED, "the grant of record '" + recordId + "' to '" + caller.identityId()
          + "' was revoked");
    }
    if (grant.get().endedAt(timeMillis)) {
      return deny(Rejection.Code.ACCESS_EXPIRED, "the grant of record '" + recordId + "' to '" + caller.identityId()
          + "' ended at " + grant.get().notAfterMillis());
    }
    if (timeMillis < grant.get().startMillis()) {
      return deny(Rejection.Code.ACCESS_NOT_STARTED, "the grant of record '" + recordId + "' to '"
          + caller.identityId() + "' starts at " + grant.get().startMillis());
    }
    Optional<ConsentPolicy> consent = grant.get().consent();
    if (consent.isPresent() && !consent.get().actions().contains("access")) {
      return deny(Rejection.Code.NO_ACCESS, "the consent on record '" + recordId + "' to '" + caller.identityId()
          + "' permits " + consent.get().actions() + ", not access");
    }
    if (consent.isPresent() && !consent.get().purposes().contains(purpose)) {
      return deny(Rejection.Code.WRONG_PURPOSE, "the consent on record '" + recordId + "' to '" + caller.identityId()
          + "' is for " + consent.get().purposes() + ", not '" + purpose + "'");
    }
    return Optional.empty();
  }

  public static Optional<Rejection> mayViewPatient(LedgerView view, TxBody.Identity caller, String pseudonym,
      long timeMillis) {
    if (view.patientOrganisation(pseudonym).isPresent()) {
      if (isThePatient(caller, pseudonym) || isItsPrivacyOfficer(view, caller, pseudonym)) {
        return Optional.empty();
      }
      for (String recordId : view.recordsOf(pseudonym)) {
        boolean live = view.record(recordId).map(r -> !r.erased()).orElse(false);
        if (live && view.grant(recordId, caller.identityId()).map(g -> g.activeAt(timeMillis)).orElse(false)) {
          return Optional.empty();
        }
      }
    }
    return deny(Rejection.Code.NO_ACCESS, "only the patient, its hospital's privacy officer and its active grantees"
        + " see the views of '" + pseudonym + "'");
  }

  /**
   * A patient's notifications (what its gateway holds: grants, reads, expiries, erasures): the patient
   * and its hospital's privacy officer read them; only the patient may mark them seen, so that nobody
   * else can make the gateway forget what the patient has not been shown.
   */
  public static Optional<Rejection> mayFollowPatient(LedgerView view, TxBody.Identity caller, String pseudonym,
      boolean acknowledging) {
    if (isThePatient(caller, pseudonym) && view.patientOrganisation(pseudonym).isPresent()
        || !acknowledging && isItsPrivacyOfficer(view, caller, pseudonym)) {
      return Optional.empty();
    }
    return deny(Rejection.Code.NO_ACCESS, acknowledging
        ? "only the patient marks the notifications of '" + pseudonym + "' seen"
        : "only the patient and its hospital's privacy officer read the notifications of '" + pseudonym + "'");
  }

  /**
   * Storing a new record of the patient (before its anchor): staff whose role may anchor records, of
   * the organisation that enrolled the patient, as the ledger's rule for the anchor will require.
   */
  public static Optional<Rejection> mayAnchor(LedgerView view, TxBody.Identity caller, String pseudonym) {
    Optional<String> hospital = view.patientOrganisation(pseudonym);
    if (hospital.isEmpty()) {
      return deny(Rejection.Code.NOT_FOUND, "patient '" + pseudonym + "' is not enrolled");
    }
    if (!TxType.RECORD_ANCHORED.maySubmit(caller.role())) {
      return deny(Rejection.Code.ROLE_NOT_ALLOWED, "a " + caller.role() + " does not anchor records");
    }
    return caller.organisation().equals(hospital.get()) ? Optional.empty() : deny(Rejection.Code.OTHER_ORGANISATION,
        "patient '" + pseudonym + "' is a patient of " + hospital.get() + ", not of " + caller.organisation());
  }

  public static Optional<Rejection> mayManage(LedgerView view, TxBody.Identity caller, String recordId) {
    Optional<Rejection> live = liveRecord(view, recordId);
    if (live.isPresent()) {
      return live;
    }
    LedgerView.RecordInfo record = view.record(recordId).orElseThrow();
    if (is(caller, Role.PATIENT)) {
      return owns(caller, record) ? Optional.empty() : deny(Rejection.Code.NOT_OWNER,
          "patient '" + caller.identityId() + "' does not own record '" + recordId + "'");
    }
    return caller.organisation().equals(record.organisation()) ? Optional.empty() : deny(Rejection.Code.OTHER_ORGANISATION,
        "record '" + recordId + "' belongs to " + record.organisation() + ", not " + caller.organisation());
  }

  static Optional<Rejection> liveRecord(LedgerView view, String recordId) {
    Optional<LedgerView.RecordInfo> record = view.record(recordId);
    if (record.isEmpty()) {
      return deny(Rejection.Code.NOT_FOUND, "no record '" + recordId + "'");
    }
    return record.get().erased() ? deny(Rejection.Code.RECORD_ERASED, "record '" + recordId + "' was erased")
        : Optional.empty();
  }

  private static boolean isThePatient(TxBody.Identity caller, String pseudonym) {
    return is(caller, Role.PATIENT) && caller.identityId().equals(pseudonym);
  }

  /** The privacy officer of the organisation that enrolled the patient (none for a pseudonym not enrolled). */
  private static boolean isItsPrivacyOfficer(LedgerView view, TxBody.Identity caller, String pseudonym) {
    return is(caller, Role.PRIVACY_OFFICER)
        && view.patientOrganisation(pseudonym).map(caller.organisation()::equals).orElse(false);
  }

  private static boolean owns(TxBody.Identity caller, LedgerView.RecordInfo record) {
    return is(caller, Role.PATIENT) && caller.identityId().equals(record.pseudonym());
  }

  private static boolean is(TxBody.Identity caller, Role role) {
    return caller.role().equals(role.wireName());
  }

  private static Optional<Rejection> deny(Rejection.Code code, String detail) {
    return Optional.of(Rejection.of(code, detail));
  }
}
