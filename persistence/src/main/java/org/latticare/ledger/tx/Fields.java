package org.latticare.ledger.tx;


/** Checks shared by the transaction bodies' constructors, so a decoded body is a valid body. */
final class Fields {

  static final int MAX_NAME = 256;

  private Fields() {}

  static void name(String field, String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_NAME || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + " must be 1 to " + MAX_NAME + " printable characters");
    }
  }

  static void role(String role) {
    Role.of(role);
  }

  static void publicKey(byte[] key) {
    if (key == null || key.length == 0) {
      throw new IllegalArgumentException("a public key is required");
    }
  }

  static void nonNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must not be negative");
    }
  }
}
