package org.latticare.ledger.tx;

import java.util.Arrays;
import java.util.Optional;

/**
 * The roles an enrolled identity can hold, with the names the chain and the API use. A role that
 * speaks for the consortium ({@link #consortiumLevel()}) is granted only by the consortium itself (a
 * quorum of its member organisations' admins, or the genesis block); an organisation's admin enrols
 * only organisational roles, and only into its own organisation.
 */
public enum Role {
  PATIENT("patient", false),
  CLINICIAN("clinician", false),
  HOSPITAL_ADMIN("hospital-admin", false),
  PRIVACY_OFFICER("privacy-officer", false),
  RESEARCHER("researcher", false),
  OPERATOR("operator", true);

  private final String wireName;
  private final boolean consortiumLevel;

  Role(String wireName, boolean consortiumLevel) {
    this.wireName = wireName;
    this.consortiumLevel = consortiumLevel;
  }

  /** The name on chain and in the API, e.g. {@code hospital-admin}. */
  public String wireName() {
    return wireName;
  }

  /** Whether only the consortium may grant this role. */
  public boolean consortiumLevel() {
    return consortiumLevel;
  }

  public static Optional<Role> find(String wireName) {
    return Arrays.stream(values()).filter(r -> r.wireName.equals(wireName)).findFirst();
  }

  public static Role of(String wireName) {
    return find(wireName).orElseThrow(() -> new IllegalArgumentException("unknown role '" + wireName
        + "'; expected one of " + Arrays.stream(values()).map(Role::wireName).toList()));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
