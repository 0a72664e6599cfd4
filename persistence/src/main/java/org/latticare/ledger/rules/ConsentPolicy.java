package org.latticare.ledger.rules;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A grant's policy shaped like an HL7 FHIR R4 {@code Consent.provision}: the actions it permits
 * ({@code provision.action}, FHIR's consent-action codes), the purposes of use ({@code provision.purpose},
 * HL7 v3 PurposeOfUse codes) and the period's start ({@code provision.period.start}; its end is the
 * grant's {@code notAfterMillis}). The grantee ({@code provision.actor}) and the record
 * ({@code provision.data}) are the grant's own fields.
 *
 * <p>On chain it is the grant's {@code policy} string, in one canonical form:
 * {@code consent/v1;action=access;purpose=ETREAT,TREAT;start=1767225600000} (codes sorted, no spaces), so
 * that it is signed and hashed as exactly one string. A policy without the {@code consent/v1;} prefix is
 * a label from before consents (any purpose, from the grant's block on), still honoured as such.
 */
public record ConsentPolicy(Set<String> actions, Set<String> purposes, long startMillis) {

  public static final String PREFIX = "consent/v1;";

  /** FHIR consent-action codes a record grant may name. */
  public static final Set<String> ACTIONS = Set.of("access", "use", "disclose");

  /** HL7 v3 PurposeOfUse codes a grant and a read may name. */
  public static final Set<String> PURPOSES = Set.of(
      "TREAT",     // treatment
      "ETREAT",    // emergency treatment
      "CAREMGT",   // care management
      "PATRQT",    // requested by the patient
      "CLINTRCH",  // clinical trial research
      "HRESCH",    // healthcare research
      "PUBHLTH",   // public health
      "HOPERAT",   // healthcare operations
      "HPAYMT");   // healthcare payment

  public ConsentPolicy {
    actions = Set.copyOf(new TreeSet<>(actions));
    purposes = Set.copyOf(new TreeSet<>(purposes));
    if (actions.isEmpty() || !ACTIONS.containsAll(actions)) {
      throw new IllegalArgumentException("actions are some of " + new TreeSet<>(ACTIONS) + ", not " + actions);
    }
    if (purposes.isEmpty() || !PURPOSES.containsAll(purposes)) {
      throw new IllegalArgumentException("purposes are HL7 v3 PurposeOfUse codes among " + new TreeSet<>(PURPOSES)
          + ", not " + purposes);
    }
    if (startMillis < 0) {
      throw new IllegalArgumentException("a consent's period starts at a time, not " + startMillis);
    }
  }

  /** Access for one purpose, from {@code startMillis}. */
  public static ConsentPolicy access(String purpose, long startMillis) {
    return new ConsentPolicy(Set.of("access"), Set.of(purpose), startMillis);
  }

  public String encode() {
    return PREFIX + "action=" + String.join(",", new TreeSet<>(actions)) + ";purpose="
        + String.join(",", new TreeSet<>(purposes)) + ";start=" + startMillis;
  }

  /** Whether {@code policy} is a consent (rather than a label from before consents). */
  public static boolean isConsent(String policy) {
    return policy != null && policy.startsWith(PREFIX);
  }

  /**
   * The consent {@code policy} states, or empty for a label from before consents;
   * {@link IllegalArgumentException} for a consent that is not in the canonical form.
   */
  public static Optional<ConsentPolicy> parse(String policy) {
    if (!isConsent(policy)) {
      return Optional.empty();
    }
    String[] fields = policy.substring(PREFIX.length()).split(";", -1);
    if (fields.length != 3 || !fields[0].startsWith("action=") || !fields[1].startsWith("purpose=")
        || !fields[2].startsWith("start=")) {
      throw new IllegalArgumentException("a consent is '" + PREFIX + "action=…;purpose=…;start=…', not '" + policy + "'");
    }
    long start;
    try {
      start = Long.parseLong(fields[2].substring("start=".length()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a consent's start is milliseconds since the epoch: '" + policy + "'");
    }
    ConsentPolicy parsed = new ConsentPolicy(codes(fields[0].substring("action=".length())),
        codes(fields[1].substring("purpose=".length())), start);
    if (!parsed.encode().equals(policy)) {
      throw new IllegalArgumentException("a consent is written in one canonical form (" + parsed.encode() + "), not '"
          + policy + "'");
    }
    return Optional.of(parsed);
  }

  private static Set<String> codes(String list) {
    return list.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(list.split(",", -1)));
  }
}
