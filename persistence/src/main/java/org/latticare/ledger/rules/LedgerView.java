package org.latticare.ledger.rules;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.tx.TxBody;

/**
 * What the transaction rules and the access decisions look up, and what applying a transaction adds.
 * The consortium (from the genesis block) is part of the view, so rules that count a quorum of its
 * members take the count from the chain.
 */
public interface LedgerView {

  /**
   * A record on chain: whose it is, which organisation anchored it, whether it was erased, and the digest
   * its anchor names ({@code null} where it is not known: a patient's slice, a snapshot from before).
   */
  record RecordInfo(String pseudonym, String organisation, boolean erased, Sha3Hash digest) {}

  /** A grant of a record to a grantee: under which policy, until when (block time), and whether revoked. */
  record Grant(String grantee, String policy, long notAfterMillis, boolean revoked) {

    /**
     * The consent the policy states ({@link ConsentPolicy}); empty for a label from before consents, which
     * restricts neither purpose nor start (a consent that does not parse could only be on a chain from
     * before consents were checked, and is read as such a label).
     */
    public java.util.Optional<ConsentPolicy> consent() {
      try {
        return ConsentPolicy.parse(policy);
      } catch (IllegalArgumentException legacy) {
        return java.util.Optional.empty();
      }
    }

    /** When the grant's period starts (its consent's start; 0 for a label). */
    public long startMillis() {
      return consent().map(ConsentPolicy::startMillis).orElse(0L);
    }

    /** Whether the grant allows access at {@code timeMillis} (block time): within its period and not revoked. */
    public boolean activeAt(long timeMillis) {
      return !revoked && timeMillis < notAfterMillis && timeMillis >= startMillis();
    }

    /** Whether its period is over at {@code timeMillis}. */
    public boolean endedAt(long timeMillis) {
      return timeMillis >= notAfterMillis;
    }
  }

  TxBody.ConsortiumFounded consortium();

  Optional<TxBody.Identity> identity(String identityId);

  /** The organisation whose admin enrolled the patient, if the pseudonym is enrolled. */
  Optional<String> patientOrganisation(String pseudonym);

  default boolean hasPatient(String pseudonym) {
    return patientOrganisation(pseudonym).isPresent();
  }

  Optional<RecordInfo> record(String recordId);

  /** The ids of the patient's records, in the order they were anchored. */
  List<String> recordsOf(String pseudonym);

  Optional<Grant> grant(String recordId, String grantee);

  /** Every grant ever made on the record, by grantee. */
  Map<String, Grant> grantsOn(String recordId);

  boolean hasStudy(String studyId);

  boolean nonceUsed(String submitter, long nonce);

  void addIdentity(TxBody.Identity identity);

  void addPatient(String pseudonym, String organisation);

  void putRecord(String recordId, RecordInfo record);

  void putGrant(String recordId, Grant grant);

  void addStudy(String studyId);

  void useNonce(String submitter, long nonce);
}
