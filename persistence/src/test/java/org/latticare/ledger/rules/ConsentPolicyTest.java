package org.latticare.ledger.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;

class ConsentPolicyTest {

  @Test
  void aConsentHasOneCanonicalEncodingThatParsesBack() {
    ConsentPolicy consent = new ConsentPolicy(Set.of("access"), Set.of("TREAT", "ETREAT"), 1_767_225_600_000L);
    assertThat(consent.encode()).isEqualTo("consent/v1;action=access;purpose=ETREAT,TREAT;start=1767225600000");
    assertThat(ConsentPolicy.parse(consent.encode())).contains(consent);
    assertThat(ConsentPolicy.parse("care")).as("a label from before consents").isEmpty();
    assertThat(ConsentPolicy.isConsent("second opinion")).isFalse();
  }

  @Test
  void anythingButTheCanonicalFormOfKnownCodesIsRefused() {
    for (String bad : new String[] {
        "consent/v1;",
        "consent/v1;action=access;purpose=TREAT",
        "consent/v1;action=access;purpose=TREAT;start=x",
        "consent/v1;action=access;purpose=TREAT,ETREAT;start=1",   // not sorted
        "consent/v1;action=access;purpose=TREAT,TREAT;start=1",    // repeated
        "consent/v1;action=access;purpose=;start=1",
        "consent/v1;action=;purpose=TREAT;start=1",
        "consent/v1;action=read;purpose=TREAT;start=1",            // not a FHIR consent action
        "consent/v1;action=access;purpose=treatment;start=1",      // not a PurposeOfUse code
        "consent/v1;action=access;purpose=TREAT;start=-1",
        "consent/v1;action=access;purpose=TREAT;start=01",
        "consent/v1;action=access;purpose=TREAT;start=1;x=y",
        "consent/v1;purpose=TREAT;action=access;start=1"}) {
      assertThatThrownBy(() -> ConsentPolicy.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
