package org.latticare.node.fhir;

import java.util.Date;
import java.util.List;
import java.util.Optional;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.latticare.ledger.rules.ConsentPolicy;
import org.latticare.ledger.rules.LedgerView;
import org.latticare.ledger.rules.PatientAccess;
import org.latticare.ledger.rules.PatientTransaction;
import org.latticare.ledger.tx.TxType;

/**
 * A patient's access log and grants as HL7 FHIR R4 resources (HAPI FHIR's R4 structures): every read
 * and every break-glass opening of the patient's records as an {@code AuditEvent}, every grant as a
 * {@code Consent} whose provision carries the grantee, the actions, the purposes of use, the period and
 * the record. Identities are FHIR identifiers in the consortium's system
 * ({@value #IDENTITY_SYSTEM}); records are referred to as {@code DocumentReference/<record id>}.
 */
public final class FhirViews {

  public static final String IDENTITY_SYSTEM = "urn:latticare:identity";
  public static final String TRANSACTION_SYSTEM = "urn:latticare:transaction";
  static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
  static final String CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";
  static final String CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
  static final String LOINC = "http://loinc.org";
  static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";

  /** One context per JVM: HAPI scans the R4 model once, which takes a second or so. */
  private static final FhirContext R4 = FhirContext.forR4();

  private FhirViews() {}

  public static IParser json() {
    return R4.newJsonParser().setPrettyPrint(false);
  }

  /** The reads and break-glass openings among {@code transactions}, as a searchset Bundle of AuditEvents. */
  public static Bundle auditEvents(String pseudonym, List<PatientTransaction> transactions) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    for (PatientTransaction tx : transactions) {
      if (tx.type() == TxType.RECORD_ACCESSED || tx.type() == TxType.BREAK_GLASS) {
        bundle.addEntry().setResource(auditEvent(pseudonym, tx));
      }
    }
    return bundle.setTotal(bundle.getEntry().size());
  }

  static AuditEvent auditEvent(String pseudonym, PatientTransaction tx) {
    boolean breakGlass = tx.type() == TxType.BREAK_GLASS;
    AuditEvent event = new AuditEvent();
    event.setId(tx.hash());
    event.setType(breakGlass ? new Coding(DICOM, "110113", "Security Alert") : new Coding(DICOM, "110110", "Patient Record"));
    event.addSubtype(new Coding(RESTFUL_INTERACTION, "read", "read"));
    event.setAction(AuditEvent.AuditEventAction.R);
    event.setRecorded(new Date(tx.timestampMillis()));
    event.setOutcome(AuditEvent.AuditEventOutcome._0);
    if (breakGlass) {
      event.setOutcomeDesc("break-glass until " + new Date(tx.notAfterMillis()).toInstant() + ": " + tx.purpose());
      event.addPurposeOfEvent(reason("ETREAT"));
    } else if (tx.purpose() != null) {
      event.addPurposeOfEvent(reason(tx.purpose()));
    }
    event.addAgent().setRequestor(true).setWho(identity(tx.reader()));
    event.getSource().setSite("latticare").setObserver(new Reference().setDisplay("Latticare consortium"));
    event.addEntity().setWhat(identity(pseudonym)).setName("patient");
    event.addEntity().setWhat(new Reference("DocumentReference/" + tx.recordId())).setName(tx.recordId());
    event.addEntity().setWhat(new Reference().setIdentifier(new Identifier().setSystem(TRANSACTION_SYSTEM)
        .setValue(tx.hash()))).setName("block " + tx.height() + ", transaction " + tx.index());
    return event;
  }

  /** Every grant on the patient's records, as a searchset Bundle of Consents; {@code atMillis} decides which are active. */
  public static Bundle consents(PatientAccess access, long atMillis) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    for (PatientAccess.RecordAccess record : access.records()) {
      for (LedgerView.Grant grant : record.grants()) {
        bundle.addEntry().setResource(consent(access.pseudonym(), record.recordId(), grant, atMillis));
      }
    }
    return bundle.setTotal(bundle.getEntry().size());
  }

  static Consent consent(String pseudonym, String recordId, LedgerView.Grant grant, long atMillis) {
    Consent consent = new Consent();
    consent.setId(recordId + "." + grant.grantee());
    consent.setStatus(grant.revoked() || grant.endedAt(atMillis) ? Consent.ConsentState.INACTIVE : Consent.ConsentState.ACTIVE);
    consent.setScope(new CodeableConcept(new Coding(CONSENT_SCOPE, "patient-privacy", "Privacy Consent")));
    consent.addCategory(new CodeableConcept(new Coding(LOINC, "59284-0", "Patient Consent")));
    consent.setPatient(identity(pseudonym));
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(Consent.ConsentProvisionType.PERMIT);
    provision.setPeriod(new Period().setStart(new Date(grant.startMillis())).setEnd(new Date(grant.notAfterMillis())));
    provision.addActor().setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
        "IRCP", "information recipient"))).setReference(identity(grant.grantee()));
    Optional<ConsentPolicy> policy = grant.consent();
    for (String action : policy.map(ConsentPolicy::actions).orElse(java.util.Set.of("access"))) {
      provision.addAction(new CodeableConcept(new Coding(CONSENT_ACTION, action, action)));
    }
    if (policy.isPresent()) {
      policy.get().purposes().forEach(purpose -> provision.addPurpose(new Coding(ACT_REASON, purpose, purpose)));
    } else {
      provision.addPurpose(new Coding().setDisplay(grant.policy()));
    }
    provision.addData().setMeaning(Consent.ConsentDataMeaning.INSTANCE)
        .setReference(new Reference("DocumentReference/" + recordId));
    return consent;
  }

  private static Reference identity(String id) {
    return new Reference().setIdentifier(new Identifier().setSystem(IDENTITY_SYSTEM).setValue(id));
  }

  private static CodeableConcept reason(String purpose) {
    return ConsentPolicy.PURPOSES.contains(purpose) ? new CodeableConcept(new Coding(ACT_REASON, purpose, purpose))
        : new CodeableConcept().setText(purpose);
  }
}
