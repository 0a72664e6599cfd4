package org.latticare.node.http;

import java.util.Optional;

/** Query parameters as the API reads them: strictly, refusing what is not what the parameter may be. */
final class QueryParameters {

  private QueryParameters() {}

  /** Absent means {@code absent}; otherwise a decimal integer from {@code min} to {@code max}, else 400 {@code BAD_VALUE}. */
  static long integer(String name, Optional<String> text, long min, long max, long absent) {
    if (text.isEmpty()) {
      return absent;
    }
    try {
      long value = Long.parseLong(text.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw new ApiException(ErrorCode.BAD_VALUE, "'" + name + "' must be an integer, " + (max == Long.MAX_VALUE
        ? min + " or more" : "from " + min + " to " + max) + ", not '" + text.get() + "'");
  }
}
