package org.latticare.ledger.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.latticare.ledger.tx.TxBody;

/**
 * One patient's part of the ledger that access decisions read: the organisation that enrolled it, its
 * records (with the anchoring organisation and the erased flag) in anchoring order, and every grant
 * ever made on them. Plain records and lists, so it travels between nodes as it is (an access
 * contract's whole state), and built by {@link LedgerState#patientAccess} for one pseudonym
 * (or, for a block's change, for the records the block touched: {@link #merge}).
 *
 * <p>{@link #view()} answers {@link AccessPolicy#mayRead} and {@link AccessPolicy#mayViewPatient} for
 * this patient exactly as the whole ledger does: both look only at the patient's organisation, its
 * records and the grants on them. A record of another patient is unknown here ({@code NOT_FOUND}):
 * a contract decides only for its own patient's records.
 *
 * @param organisation the organisation that enrolled the patient, or {@code null} if it is not enrolled
 */
public record PatientAccess(String pseudonym, String organisation, List<RecordAccess> records) {

  /** A record of the patient and the grants on it, in the order they were first made. */
  public record RecordAccess(String recordId, String organisation, boolean erased, List<LedgerView.Grant> grants) {
    public RecordAccess {
      grants = List.copyOf(grants);
    }
  }

  public PatientAccess {
    records = List.copyOf(records);
  }

  /** The slice of a pseudonym that is not enrolled: no organisation, no records. */
  public static PatientAccess unknown(String pseudonym) {
    return new PatientAccess(pseudonym, null, List.of());
  }

  /**
   * This slice after a block's change: {@code changed} holds the patient's organisation and the
   * records the block touched (each whole, with every grant on it); they replace the records of the
   * same id here, and records anchored by the block are appended in their order.
   */
  public PatientAccess merge(PatientAccess changed) {
    if (!changed.pseudonym().equals(pseudonym)) {
      throw new IllegalArgumentException("a change of " + changed.pseudonym() + " merged into the slice of " + pseudonym);
    }
    Map<String, RecordAccess> replaced = new LinkedHashMap<>();
    changed.records().forEach(r -> replaced.put(r.recordId(), r));
    List<RecordAccess> merged = new ArrayList<>(records.size() + replaced.size());
    for (RecordAccess record : records) {
      RecordAccess now = replaced.remove(record.recordId());
      merged.add(now != null ? now : record);
    }
    merged.addAll(replaced.values());
    return new PatientAccess(pseudonym, changed.organisation() != null ? changed.organisation() : organisation, merged);
  }

  public Optional<RecordAccess> record(String recordId) {
    return records.stream().filter(r -> r.recordId().equals(recordId)).findFirst();
  }

  /** A read-only ledger view over this slice, for {@link AccessPolicy}. */
  public LedgerView view() {
    return new View(this);
  }

  /**
   * The slice as a {@link LedgerView}. What a slice does not hold (the consortium, identities, studies,
   * nonces) is refused rather than guessed, so a policy that starts needing it fails loudly in tests.
   */
  private static final class View implements LedgerView {

    private final PatientAccess access;
    private final Map<String, RecordAccess> records;

    View(PatientAccess access) {
      this.access = access;
      this.records = access.records().stream().collect(Collectors.toMap(RecordAccess::recordId, Function.identity()));
    }

    @Override
    public Optional<String> patientOrganisation(String pseudonym) {
      return access.pseudonym().equals(pseudonym) ? Optional.ofNullable(access.organisation()) : Optional.empty();
    }

    @Override
    public Optional<RecordInfo> record(String recordId) {
      return Optional.ofNullable(records.get(recordId))
          .map(r -> new RecordInfo(access.pseudonym(), r.organisation(), r.erased(), null));
    }

    @Override
    public List<String> recordsOf(String pseudonym) {
      return access.pseudonym().equals(pseudonym)
          ? access.records().stream().map(RecordAccess::recordId).toList() : List.of();
    }

    @Override
    public Optional<Grant> grant(String recordId, String grantee) {
      return Optional.ofNullable(records.get(recordId))
          .flatMap(r -> r.grants().stream().filter(g -> g.grantee().equals(grantee)).findFirst());
    }

    @Override
    public Map<String, Grant> grantsOn(String recordId) {
      return Optional.ofNullable(records.get(recordId))
          .map(r -> r.grants().stream().collect(Collectors.toMap(Grant::grantee, Function.identity())))
          .orElse(Map.of());
    }

    @Override
    public TxBody.ConsortiumFounded consortium() {
      throw outsideTheSlice("the consortium");
    }

    @Override
    public Optional<TxBody.Identity> identity(String identityId) {
      throw outsideTheSlice("identities");
    }

    @Override
    public boolean hasStudy(String studyId) {
      throw outsideTheSlice("studies");
    }

    @Override
    public boolean nonceUsed(String submitter, long nonce) {
      throw outsideTheSlice("nonces");
    }

    @Override
    public void addIdentity(TxBody.Identity identity) {
      throw readOnly();
    }

    @Override
    public void addPatient(String pseudonym, String organisation) {
      throw readOnly();
    }

    @Override
    public void putRecord(String recordId, RecordInfo record) {
      throw readOnly();
    }

    @Override
    public void putGrant(String recordId, Grant grant) {
      throw readOnly();
    }

    @Override
    public void addStudy(String studyId) {
      throw readOnly();
    }

    @Override
    public void useNonce(String submitter, long nonce) {
      throw readOnly();
    }

    private static UnsupportedOperationException outsideTheSlice(String what) {
      return new UnsupportedOperationException("a patient's access slice does not hold " + what);
    }

    private static UnsupportedOperationException readOnly() {
      return new UnsupportedOperationException("a patient's access slice is read-only: it changes by blocks");
    }
  }
}
