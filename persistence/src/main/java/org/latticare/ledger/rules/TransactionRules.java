package org.latticare.ledger.rules;

import java.util.Optional;

import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.ledger.tx.TxBody.AccessExpired;
import org.latticare.ledger.tx.TxBody.AccessGranted;
import org.latticare.ledger.tx.TxBody.AccessRevoked;
import org.latticare.ledger.tx.TxBody.AggregateReleased;
import org.latticare.ledger.tx.TxBody.ConsortiumFounded;
import org.latticare.ledger.tx.TxBody.IdentityEnrolled;
import org.latticare.ledger.tx.TxBody.IdentityVerified;
import org.latticare.ledger.tx.TxBody.PatientEnrolled;
import org.latticare.ledger.tx.TxBody.RecordAccessed;
import org.latticare.ledger.tx.TxBody.RecordAnchored;
import org.latticare.ledger.tx.TxBody.RecordErased;
import org.latticare.ledger.tx.TxBody.StatisticSubmitted;
import org.latticare.ledger.tx.TxBody.StudyCreated;

/**
 * The ledger's rules for one transaction, apart from its signature: the submitter is enrolled and its
 * role may submit this type, the nonce is fresh, and what the body refers to exists (or, for what it
 * creates, does not yet). The contracts add their own rules on top; these are the ones every replica
 * enforces on every block. A patient's identity is enrolled under its pseudonym, so the owner of a
 * record is a lookup.
 */
public final class TransactionRules {

  private TransactionRules() {}

  public static Optional<Rejection> check(Transaction tx, LedgerView view) {
    if (tx.body() instanceof ConsortiumFounded) {
      return fail(Rejection.Code.GENESIS_ONLY, "a consortium is founded only in the genesis block");
    }
    Optional<TxBody.Identity> submitter = view.identity(tx.submitter());
    if (submitter.isEmpty()) {
      return fail(Rejection.Code.UNKNOWN_SUBMITTER, "submitter '" + tx.submitter() + "' is not an enrolled identity");
    }
    String role = submitter.get().role();
    if (!tx.type().maySubmit(role)) {
      return fail(Rejection.Code.ROLE_NOT_ALLOWED, "a " + role + " may not submit " + tx.type());
    }
    if (view.nonceUsed(tx.submitter(), tx.nonce())) {
      return fail(Rejection.Code.NONCE_REPLAYED, "nonce " + tx.nonce() + " of '" + tx.submitter() + "' was already used (replay)");
    }
    return checkBody(tx, role, view);
  }

  private static Optional<Rejection> checkBody(Transaction tx, String role, LedgerView view) {
    TxBody body = tx.body();
    if (body instanceof IdentityEnrolled e) {
      return view.identity(e.identity().identityId()).isPresent()
          ? fail(Rejection.Code.ALREADY_EXISTS, "identity '" + e.identity().identityId() + "' is already enrolled") : ok();
    } else if (body instanceof PatientEnrolled p) {
      return view.hasPatient(p.pseudonym()) ? fail(Rejection.Code.ALREADY_EXISTS, "patient '" + p.pseudonym() + "' is already enrolled") : ok();
    } else if (body instanceof RecordAnchored r) {
      if (!view.hasPatient(r.pseudonym())) {
        return fail(Rejection.Code.NOT_FOUND, "patient '" + r.pseudonym() + "' is not enrolled");
      }
      return view.record(r.recordId()).isPresent() ? fail(Rejection.Code.ALREADY_EXISTS, "record '" + r.recordId() + "' already exists") : ok();
    } else if (body instanceof AccessGranted g) {
      return ownerOrStaff(tx, role, g.recordId(), view);
    } else if (body instanceof AccessRevoked r) {
      return ownerOrStaff(tx, role, r.recordId(), view);
    } else if (body instanceof AccessExpired x) {
      return liveRecord(x.recordId(), view);
    } else if (body instanceof RecordAccessed a) {
      if (!a.reader().equals(tx.submitter())) {
        return fail(Rejection.Code.READER_MISMATCH, "a read is logged by its reader, not by '" + tx.submitter() + "'");
      }
      return liveRecord(a.recordId(), view);
    } else if (body instanceof RecordErased e) {
      return ownerOrStaff(tx, role, e.recordId(), view);
    } else if (body instanceof IdentityVerified v) {
      return view.hasPatient(v.pseudonym()) ? ok() : fail(Rejection.Code.NOT_FOUND, "patient '" + v.pseudonym() + "' is not enrolled");
    } else if (body instanceof StudyCreated c) {
      return view.hasStudy(c.studyId()) ? fail(Rejection.Code.ALREADY_EXISTS, "study '" + c.studyId() + "' already exists") : ok();
    } else if (body instanceof StatisticSubmitted t) {
      return view.hasStudy(t.studyId()) ? ok() : fail(Rejection.Code.NOT_FOUND, "no study '" + t.studyId() + "'");
    } else if (body instanceof AggregateReleased a) {
      return view.hasStudy(a.studyId()) ? ok() : fail(Rejection.Code.NOT_FOUND, "no study '" + a.studyId() + "'");
    }
    return fail(Rejection.Code.GENESIS_ONLY, "a consortium is founded only in the genesis block");
  }

  /** Records what {@code tx} adds; call only after {@link #check} accepted it (or for genesis). */
  public static void apply(Transaction tx, LedgerView view) {
    TxBody body = tx.body();
    if (body instanceof ConsortiumFounded f) {
      f.identities().forEach(view::addIdentity);
      return;
    }
    if (body instanceof IdentityEnrolled e) {
      view.addIdentity(e.identity());
    } else if (body instanceof PatientEnrolled p) {
      view.addPatient(p.pseudonym());
    } else if (body instanceof RecordAnchored r) {
      view.putRecord(r.recordId(), new LedgerView.RecordInfo(r.pseudonym(), false));
    } else if (body instanceof RecordErased e) {
      view.putRecord(e.recordId(), new LedgerView.RecordInfo(view.record(e.recordId()).orElseThrow().pseudonym(), true));
    } else if (body instanceof StudyCreated c) {
      view.addStudy(c.studyId());
    }
    view.useNonce(tx.submitter(), tx.nonce());
  }

  private static Optional<Rejection> ownerOrStaff(Transaction tx, String role, String recordId, LedgerView view) {
    Optional<Rejection> live = liveRecord(recordId, view);
    if (live.isPresent()) {
      return live;
    }
    if (role.equals("patient") && !view.record(recordId).orElseThrow().pseudonym().equals(tx.submitter())) {
      return fail(Rejection.Code.NOT_OWNER, "patient '" + tx.submitter() + "' does not own record '" + recordId + "'");
    }
    return ok();
  }

  private static Optional<Rejection> liveRecord(String recordId, LedgerView view) {
    Optional<LedgerView.RecordInfo> record = view.record(recordId);
    if (record.isEmpty()) {
      return fail(Rejection.Code.NOT_FOUND, "no record '" + recordId + "'");
    }
    return record.get().erased() ? fail(Rejection.Code.RECORD_ERASED, "record '" + recordId + "' was erased") : ok();
  }

  private static Optional<Rejection> ok() {
    return Optional.empty();
  }

  private static Optional<Rejection> fail(Rejection.Code code, String detail) {
    return Optional.of(Rejection.of(code, detail));
  }
}
