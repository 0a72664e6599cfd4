package org.latticare.ledger.rules;

import static org.latticare.ledger.rules.ContractRules.fail;
import static org.latticare.ledger.rules.ContractRules.ok;

import java.util.Optional;

import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.Role;
import org.latticare.ledger.tx.TxBody;

/** The study contract: a study exists before anything is submitted to it or released from it. */
final class StudyRules implements ContractRules {

  @Override
  public Optional<Rejection> check(Transaction tx, TxBody.Identity submitter, Role role, LedgerView view,
      long timeMillis) {
    TxBody body = tx.body();
    if (body instanceof TxBody.StudyCreated c) {
      return view.hasStudy(c.studyId())
          ? fail(Rejection.Code.ALREADY_EXISTS, "study '" + c.studyId() + "' already exists") : ok();
    } else if (body instanceof TxBody.StatisticSubmitted s) {
      return existing(s.studyId(), view);
    } else if (body instanceof TxBody.AggregateReleased a) {
      return existing(a.studyId(), view);
    }
    throw new IllegalArgumentException("not a study transaction: " + tx.type());
  }

  private static Optional<Rejection> existing(String studyId, LedgerView view) {
    return view.hasStudy(studyId) ? ok() : fail(Rejection.Code.NOT_FOUND, "no study '" + studyId + "'");
  }

  @Override
  public void apply(Transaction tx, TxBody.Identity submitter, LedgerView view) {
    if (tx.body() instanceof TxBody.StudyCreated c) {
      view.addStudy(c.studyId());
    }
  }
}
