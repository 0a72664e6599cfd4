package org.latticare.ledger.rules;

import static org.latticare.ledger.rules.ContractRules.fail;
import static org.latticare.ledger.rules.ContractRules.ok;

import java.util.Optional;

import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.Role;
import org.latticare.ledger.tx.TxBody;

/**
 * The access contract: records, grants, revocations, reads and erasure. A record belongs to the
 * patient it is anchored for and to the organisation that anchored it (the patient's own hospital);
 * who may read or manage it is {@link AccessPolicy}'s answer; every grant names an enrolled grantee
 * and ends at a future time within {@link #MAX_GRANT_MILLIS}; only an issued, unrevoked grant can be
 * revoked; a read is logged by its reader and only when the reader may read.
 */
final class AccessRules implements ContractRules {

  /** The longest a grant may run: ten years. */
  static final long MAX_GRANT_MILLIS = 10L * 366 * 24 * 3_600_000L;

  @Override
  public Optional<Rejection> check(Transaction tx, TxBody.Identity submitter, Role role, LedgerView view,
      long timeMillis) {
    TxBody body = tx.body();
    if (body instanceof TxBody.RecordAnchored r) {
      return checkAnchor(r, submitter, view);
    } else if (body instanceof TxBody.AccessGranted g) {
      return AccessPolicy.mayManage(view, submitter, g.recordId())
          .or(() -> checkGrant(g, view, timeMillis));
    } else if (body instanceof TxBody.AccessRevoked r) {
      return AccessPolicy.mayManage(view, submitter, r.recordId())
          .or(() -> activeGrant(r.recordId(), r.grantee(), view).isPresent() ? ok()
              : fail(Rejection.Code.GRANT_NOT_FOUND, "record '" + r.recordId() + "' has no unrevoked grant to '"
                  + r.grantee() + "'"));
    } else if (body instanceof TxBody.AccessExpired x) {
      return checkExpiry(x, submitter, role, view, timeMillis);
    } else if (body instanceof TxBody.RecordAccessed a) {
      if (!a.reader().equals(tx.submitter())) {
        return fail(Rejection.Code.READER_MISMATCH, "a read is logged by its reader, not by '" + tx.submitter() + "'");
      }
      return AccessPolicy.mayRead(view, submitter, a.recordId(), timeMillis, a.purpose());
    } else if (body instanceof TxBody.RecordErased e) {
      return AccessPolicy.mayManage(view, submitter, e.recordId());
    } else if (body instanceof TxBody.BreakGlass b) {
      return checkBreakGlass(b, tx.submitter(), submitter, view, timeMillis);
    }
    throw new IllegalArgumentException("not an access transaction: " + tx.type());
  }

  private static Optional<Rejection> checkAnchor(TxBody.RecordAnchored anchor, TxBody.Identity submitter,
      LedgerView view) {
    if (anchor.inlineCiphertext().length > 0) {
      return fail(Rejection.Code.INLINE_CIPHERTEXT, "a record's ciphertext goes to the nodes' record stores, never on"
          + " chain, where nothing can be erased: anchor its digest and size only");
    }
    Optional<String> hospital = view.patientOrganisation(anchor.pseudonym());
    if (hospital.isEmpty()) {
      return fail(Rejection.Code.NOT_FOUND, "patient '" + anchor.pseudonym() + "' is not enrolled");
    }
    if (!hospital.get().equals(submitter.organisation())) {
      return fail(Rejection.Code.OTHER_ORGANISATION, "patient '" + anchor.pseudonym() + "' is a patient of "
          + hospital.get() + ", not of " + submitter.organisation());
    }
    return view.record(anchor.recordId()).isPresent()
        ? fail(Rejection.Code.ALREADY_EXISTS, "record '" + anchor.recordId() + "' already exists") : ok();
  }

  private static Optional<Rejection> checkGrant(TxBody.AccessGranted grant, LedgerView view, long timeMillis) {
    if (grant.keyEnvelope().length != 0 && grant.keyEnvelope().length != Sha3Hash.LENGTH) {
      return fail(Rejection.Code.INLINE_CIPHERTEXT, "a grant carries its key envelope's SHA3-256 hash ("
          + Sha3Hash.LENGTH + " bytes) or nothing; the envelope itself goes to the record stores");
    }
    if (view.identity(grant.grantee()).isEmpty()) {
      return fail(Rejection.Code.UNKNOWN_GRANTEE, "grantee '" + grant.grantee() + "' is not an enrolled identity");
    }
    if (ConsentPolicy.isConsent(grant.policy())) {
      ConsentPolicy consent;
      try {
        consent = ConsentPolicy.parse(grant.policy()).orElseThrow();
      } catch (IllegalArgumentException e) {
        return fail(Rejection.Code.BAD_POLICY, e.getMessage());
      }
      if (consent.startMillis() >= grant.notAfterMillis()) {
        return fail(Rejection.Code.BAD_PERIOD, "a consent's period starts (" + consent.startMillis() + ") before it ends ("
            + grant.notAfterMillis() + ")");
      }
    }
    if (grant.notAfterMillis() <= timeMillis || grant.notAfterMillis() - timeMillis > MAX_GRANT_MILLIS) {
      return fail(Rejection.Code.BAD_PERIOD, "a grant ends after the block's time " + timeMillis + " and within ten"
          + " years of it, not at " + grant.notAfterMillis());
    }
    return ok();
  }

  private static Optional<Rejection> checkExpiry(TxBody.AccessExpired expiry, TxBody.Identity submitter, Role role,
      LedgerView view, long timeMillis) {
    Optional<Rejection> live = AccessPolicy.liveRecord(view, expiry.recordId());
    if (live.isPresent()) {
      return live;
    }
    if (role != Role.OPERATOR) {
      Optional<Rejection> staff = AccessPolicy.mayManage(view, submitter, expiry.recordId());
      if (staff.isPresent()) {
        return staff;
      }
    }
    Optional<LedgerView.Grant> grant = activeGrant(expiry.recordId(), expiry.grantee(), view);
    if (grant.isEmpty()) {
      return fail(Rejection.Code.GRANT_NOT_FOUND, "record '" + expiry.recordId() + "' has no unrevoked grant to '"
          + expiry.grantee() + "'");
    }
    return grant.get().notAfterMillis() <= timeMillis ? ok() : fail(Rejection.Code.BAD_PERIOD,
        "the grant runs until " + grant.get().notAfterMillis() + ", after the block's time " + timeMillis);
  }

  /** The longest a break-glass opening lasts: four hours. */
  static final long MAX_BREAK_GLASS_MILLIS = 4 * 3_600_000L;
  /** A justification says why, in words: at least this many characters. */
  static final int MIN_JUSTIFICATION = 10;

  /**
   * An emergency opening: by the clinician itself, with a justification, for at most four hours, of a
   * live record the clinician may not read already (a break-glass is never a way around a grant's
   * purpose or period, only the way to a record without one).
   */
  private static Optional<Rejection> checkBreakGlass(TxBody.BreakGlass breakGlass, String submitterId,
      TxBody.Identity submitter, LedgerView view, long timeMillis) {
    if (!breakGlass.clinician().equals(submitterId)) {
      return fail(Rejection.Code.READER_MISMATCH, "a clinician breaks the glass for itself, not for '"
          + breakGlass.clinician() + "'");
    }
    if (breakGlass.justification() == null || breakGlass.justification().strip().length() < MIN_JUSTIFICATION) {
      return fail(Rejection.Code.JUSTIFICATION_REQUIRED, "breaking the glass needs a justification of at least "
          + MIN_JUSTIFICATION + " characters");
    }
    if (breakGlass.notAfterMillis() <= timeMillis || breakGlass.notAfterMillis() - timeMillis > MAX_BREAK_GLASS_MILLIS) {
      return fail(Rejection.Code.BAD_PERIOD, "a break-glass opening ends after the block's time " + timeMillis
          + " and within four hours of it, not at " + breakGlass.notAfterMillis());
    }
    Optional<Rejection> live = AccessPolicy.liveRecord(view, breakGlass.recordId());
    if (live.isPresent()) {
      return live;
    }
    if (AccessPolicy.mayRead(view, submitter, breakGlass.recordId(), timeMillis, EMERGENCY).isEmpty()) {
      return fail(Rejection.Code.ALREADY_ALLOWED, "'" + submitterId + "' may read record '" + breakGlass.recordId()
          + "' already: no glass to break");
    }
    return ok();
  }

  /** What a break-glass opening permits: access for emergency treatment. */
  static final String EMERGENCY = "ETREAT";

  private static Optional<LedgerView.Grant> activeGrant(String recordId, String grantee, LedgerView view) {
    return view.grant(recordId, grantee).filter(g -> !g.revoked());
  }

  @Override
  public void apply(Transaction tx, TxBody.Identity submitter, LedgerView view) {
    TxBody body = tx.body();
    if (body instanceof TxBody.RecordAnchored r) {
      view.putRecord(r.recordId(), new LedgerView.RecordInfo(r.pseudonym(), submitter.organisation(), false,
          r.ciphertextHash()));
    } else if (body instanceof TxBody.AccessGranted g) {
      view.putGrant(g.recordId(), new LedgerView.Grant(g.grantee(), g.policy(), g.notAfterMillis(), false));
    } else if (body instanceof TxBody.AccessRevoked r) {
      end(view, r.recordId(), r.grantee());
    } else if (body instanceof TxBody.AccessExpired x) {
      end(view, x.recordId(), x.grantee());
    } else if (body instanceof TxBody.RecordErased e) {
      LedgerView.RecordInfo record = view.record(e.recordId()).orElseThrow();
      view.putRecord(e.recordId(), new LedgerView.RecordInfo(record.pseudonym(), record.organisation(), true,
          record.digest()));
    } else if (body instanceof TxBody.BreakGlass b) {
      // the opening is a grant for emergency treatment until its end; the transaction is its justification
      view.putGrant(b.recordId(), new LedgerView.Grant(b.clinician(),
          new ConsentPolicy(java.util.Set.of("access"), java.util.Set.of(EMERGENCY), 0).encode(), b.notAfterMillis(),
          false));
    }
  }

  private static void end(LedgerView view, String recordId, String grantee) {
    LedgerView.Grant grant = view.grant(recordId, grantee).orElseThrow();
    view.putGrant(recordId, new LedgerView.Grant(grantee, grant.policy(), grant.notAfterMillis(), true));
  }
}
