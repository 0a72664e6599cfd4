package org.latticare.node.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;
import org.latticare.ledger.rules.ConsentPolicy;
import org.latticare.ledger.rules.LedgerView;
import org.latticare.ledger.rules.PatientAccess;
import org.latticare.ledger.rules.PatientTransaction;
import org.latticare.ledger.tx.TxType;

class FhirViewsTest {

  private static final long T = 1_767_225_600_000L;

  private static PatientTransaction tx(TxType type, String reader, String purpose, long notAfter, int index) {
    return new PatientTransaction(7, index, type, "ab".repeat(32).substring(0, 62) + index + "0", "x", "r-1", null,
        notAfter, reader, purpose, T + index);
  }

  @Test
  void readsAndBreakGlassOpeningsAreAuditEventsThatHapiParsesBack() throws Exception {
    List<PatientTransaction> log = List.of(
        tx(TxType.RECORD_ANCHORED, null, null, 0, 0),
        tx(TxType.RECORD_ACCESSED, "dr-a", "TREAT", 0, 1),
        tx(TxType.BREAK_GLASS, "er-doc", "unconscious in the emergency room", T + 3_600_000, 2));
    Bundle bundle = FhirViews.auditEvents("p-1", log);
    String json = FhirViews.json().encodeResourceToString(bundle);

    Bundle parsed = FhirViews.json().parseResource(Bundle.class, json);
    assertThat(parsed.getTotal()).isEqualTo(2);
    AuditEvent read = (AuditEvent) parsed.getEntry().get(0).getResource();
    assertThat(read.getType().getCode()).isEqualTo("110110");
    assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
    assertThat(read.getRecorded().getTime()).isEqualTo(T + 1);
    assertThat(read.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("TREAT");
    assertThat(read.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("dr-a");
    assertThat(read.getEntity()).extracting(e -> e.getWhat().getIdentifier().getValue()).contains("p-1");
    AuditEvent glass = (AuditEvent) parsed.getEntry().get(1).getResource();
    assertThat(glass.getType().getCode()).isEqualTo("110113");
    assertThat(glass.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("ETREAT");
    assertThat(glass.getOutcomeDesc()).contains("unconscious");

    JsonNode tree = new ObjectMapper().readTree(json);
    assertThat(tree.get("resourceType").asText()).isEqualTo("Bundle");
    assertThat(tree.at("/entry/0/resource/resourceType").asText()).isEqualTo("AuditEvent");
  }

  @Test
  void grantsAreConsentsWithTheirProvisionAndStatus() {
    String telemedicine = ConsentPolicy.access("TREAT", T).encode();
    PatientAccess access = new PatientAccess("p-1", "hospital-1", List.of(new PatientAccess.RecordAccess("r-1",
        "hospital-1", false, List.of(
            new LedgerView.Grant("cons-a", telemedicine, T + 60_000, false),
            new LedgerView.Grant("cons-b", "care", T + 60_000, true)))));
    Bundle bundle = FhirViews.json().parseResource(Bundle.class,
        FhirViews.json().encodeResourceToString(FhirViews.consents(access, T + 1)));
    assertThat(bundle.getTotal()).isEqualTo(2);
    Consent active = (Consent) bundle.getEntry().get(0).getResource();
    assertThat(active.getStatus()).isEqualTo(Consent.ConsentState.ACTIVE);
    assertThat(active.getPatient().getIdentifier().getValue()).isEqualTo("p-1");
    Consent.ProvisionComponent provision = active.getProvision();
    assertThat(provision.getType()).isEqualTo(Consent.ConsentProvisionType.PERMIT);
    assertThat(provision.getPeriod().getStart().getTime()).isEqualTo(T);
    assertThat(provision.getPeriod().getEnd().getTime()).isEqualTo(T + 60_000);
    assertThat(provision.getActorFirstRep().getReference().getIdentifier().getValue()).isEqualTo("cons-a");
    assertThat(provision.getActionFirstRep().getCodingFirstRep().getCode()).isEqualTo("access");
    assertThat(provision.getPurpose()).extracting(c -> c.getCode()).containsExactly("TREAT");
    assertThat(provision.getDataFirstRep().getReference().getReference()).isEqualTo("DocumentReference/r-1");
    assertThat(((Consent) bundle.getEntry().get(1).getResource()).getStatus()).isEqualTo(Consent.ConsentState.INACTIVE);
    Bundle later = FhirViews.consents(access, T + 60_000);
    assertThat(((Consent) later.getEntry().get(0).getResource()).getStatus()).isEqualTo(Consent.ConsentState.INACTIVE);
  }
}
