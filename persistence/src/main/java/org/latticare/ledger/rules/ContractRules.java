package org.latticare.ledger.rules;

import java.util.Optional;

import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.Role;
import org.latticare.ledger.tx.TxBody;

/**
 * One contract's rules (identity, access, study): pure, over a {@link LedgerView}. {@link TransactionRules}
 * has already checked what every transaction shares (submitter enrolled, role allowed for the type,
 * fresh nonce, timestamp in its window); a contract checks what its own transaction types say.
 */
interface ContractRules {

  /**
   * Why {@code tx} does not fit the chain as {@code view} shows it at block time {@code timeMillis}, or empty.
   *
   * @param submitter the submitter's enrolled identity
   */
  Optional<Rejection> check(Transaction tx, TxBody.Identity submitter, Role role, LedgerView view, long timeMillis);

  /** Records what an accepted {@code tx} adds. */
  void apply(Transaction tx, TxBody.Identity submitter, LedgerView view);

  static Optional<Rejection> ok() {
    return Optional.empty();
  }

  static Optional<Rejection> fail(Rejection.Code code, String detail) {
    return Optional.of(Rejection.of(code, detail));
  }
}
