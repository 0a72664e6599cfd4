package org.latticare.ledger.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.latticare.ledger.tx.TxBody;

/**
 * The ledger's registers — identities, patients, records, grants, studies, used nonces — in plain
 * collections, over the consortium the genesis block founded.
 */
final class Registry implements LedgerView {

  final TxBody.ConsortiumFounded consortium;
  final Map<String, TxBody.Identity> identities = new HashMap<>();
  /** Pseudonym to the organisation that enrolled the patient. */
  final Map<String, String> patients = new HashMap<>();
  final Map<String, RecordInfo> records = new HashMap<>();
  final Map<String, List<String>> recordsByPatient = new HashMap<>();
  final Map<String, Map<String, Grant>> grants = new HashMap<>();
  final Set<String> studies = new HashSet<>();
  final Set<String> nonces = new HashSet<>();

  Registry(TxBody.ConsortiumFounded consortium) {
    this.consortium = consortium;
  }

  static String nonceKey(String submitter, long nonce) {
    return submitter + '\n' + nonce;
  }

  @Override
  public TxBody.ConsortiumFounded consortium() {
    return consortium;
  }

  @Override
  public Optional<TxBody.Identity> identity(String identityId) {
    return Optional.ofNullable(identities.get(identityId));
  }

  @Override
  public Optional<String> patientOrganisation(String pseudonym) {
    return Optional.ofNullable(patients.get(pseudonym));
  }

  @Override
  public Optional<RecordInfo> record(String recordId) {
    return Optional.ofNullable(records.get(recordId));
  }

  @Override
  public List<String> recordsOf(String pseudonym) {
    return List.copyOf(recordsByPatient.getOrDefault(pseudonym, List.of()));
  }

  @Override
  public Optional<Grant> grant(String recordId, String grantee) {
    return Optional.ofNullable(grants.getOrDefault(recordId, Map.of()).get(grantee));
  }

  @Override
  public Map<String, Grant> grantsOn(String recordId) {
    return Map.copyOf(grants.getOrDefault(recordId, Map.of()));
  }

  @Override
  public boolean hasStudy(String studyId) {
    return studies.contains(studyId);
  }

  @Override
  public boolean nonceUsed(String submitter, long nonce) {
    return nonces.contains(nonceKey(submitter, nonce));
  }

  @Override
  public void addIdentity(TxBody.Identity identity) {
    identities.put(identity.identityId(), identity);
  }

  @Override
  public void addPatient(String pseudonym, String organisation) {
    patients.put(pseudonym, organisation);
  }

  @Override
  public void putRecord(String recordId, RecordInfo record) {
    if (records.put(recordId, record) == null) {
      recordsByPatient.computeIfAbsent(record.pseudonym(), p -> new ArrayList<>()).add(recordId);
    }
  }

  @Override
  public void putGrant(String recordId, Grant grant) {
    grants.computeIfAbsent(recordId, r -> new LinkedHashMap<>()).put(grant.grantee(), grant);
  }

  @Override
  public void addStudy(String studyId) {
    studies.add(studyId);
  }

  @Override
  public void useNonce(String submitter, long nonce) {
    nonces.add(nonceKey(submitter, nonce));
  }
}
