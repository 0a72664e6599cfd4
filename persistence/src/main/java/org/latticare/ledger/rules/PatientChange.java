package org.latticare.ledger.rules;

import java.util.List;

/**
 * What one block changed for one patient: its organisation and the records the block touched
 * ({@code changed}, each whole with every grant on it), the patient's count of committed transactions
 * after the block ({@code sequence}), and the block's transactions that concern the patient, in order.
 * Small whatever the patient's history: {@link PatientSlice#next} merges it into what its holder knows.
 */
public record PatientChange(PatientAccess changed, long sequence, List<PatientTransaction> transactions) {

  public PatientChange {
    transactions = List.copyOf(transactions);
  }

  public String pseudonym() {
    return changed.pseudonym();
  }
}
