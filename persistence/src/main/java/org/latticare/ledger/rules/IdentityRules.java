package org.latticare.ledger.rules;

import static org.latticare.ledger.rules.ContractRules.fail;
import static org.latticare.ledger.rules.ContractRules.ok;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.latticare.ledger.IdentityKeys;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.Role;
import org.latticare.ledger.tx.TxBody;

/**
 * The identity contract: who is enrolled, with which role, for which organisation, and which
 * identification sessions the ring accepted. Roles cannot be escalated:
 * <ul>
 *   <li>an organisation's admin enrols identities only into its own organisation, and never into a role
 *       that speaks for the consortium ({@link Role#consortiumLevel()});</li>
 *   <li>such a role comes only from the genesis block or a {@link TxBody.ConsortiumEnrolled} approved by
 *       admins of a majority of the consortium's member organisations ({@link #quorum});</li>
 *   <li>a patient is enrolled by an admin of its own hospital, and a pseudonym that names an identity
 *       names a patient of that hospital;</li>
 *   <li>an identification outcome counts only with the signed verdicts of a majority of the
 *       consortium's verifier nodes.</li>
 * </ul>
 */
final class IdentityRules implements ContractRules {

  @Override
  public Optional<Rejection> check(Transaction tx, TxBody.Identity submitter, Role role, LedgerView view,
      long timeMillis) {
    TxBody body = tx.body();
    if (body instanceof TxBody.IdentityEnrolled e) {
      return checkEnrolment(e.identity(), submitter, view);
    } else if (body instanceof TxBody.ConsortiumEnrolled c) {
      return checkConsortiumEnrolment(c, view);
    } else if (body instanceof TxBody.PatientEnrolled p) {
      return checkPatient(p.pseudonym(), submitter.organisation(), view);
    } else if (body instanceof TxBody.IdentityVerifiedV1) {
      return fail(Rejection.Code.VERDICTS_REQUIRED, "an identity verification must carry the verifiers' signed"
          + " verdicts (IDENTITY_VERIFIED); the unsigned layout is no longer accepted");
    } else if (body instanceof TxBody.IdentityVerified v) {
      return checkVerdicts(v, view);
    }
    throw new IllegalArgumentException("not an identity transaction: " + tx.type());
  }

  private static Optional<Rejection> checkEnrolment(TxBody.Identity identity, TxBody.Identity admin, LedgerView view) {
    Role role = Role.of(identity.role());
    if (role.consortiumLevel()) {
      return fail(Rejection.Code.QUORUM_REQUIRED, "the role " + role + " speaks for the consortium: only a"
          + " CONSORTIUM_ENROLLED approved by a quorum of member organisations' admins grants it");
    }
    if (!identity.organisation().equals(admin.organisation())) {
      return fail(Rejection.Code.OTHER_ORGANISATION, "admin '" + admin.identityId() + "' of "
          + admin.organisation() + " may not enrol into " + identity.organisation());
    }
    return checkNewIdentity(identity, view);
  }

  private static Optional<Rejection> checkNewIdentity(TxBody.Identity identity, LedgerView view) {
    if (identity.keys().isEmpty()) {
      return fail(Rejection.Code.BAD_KEY, "the keys of '" + identity.identityId() + "' are neither an ML-DSA-65 key ("
          + MlDsa65.PUBLIC_KEY_BYTES + " bytes) nor version 2 (0x02, ML-DSA-65 key, ML-KEM-768 key: "
          + IdentityKeys.VERSION_2_BYTES + " bytes)");
    }
    if (view.identity(identity.identityId()).isPresent()) {
      return fail(Rejection.Code.ALREADY_EXISTS, "identity '" + identity.identityId() + "' is already enrolled");
    }
    Optional<String> patientOf = view.patientOrganisation(identity.identityId());
    if (patientOf.isPresent() && (!identity.role().equals(Role.PATIENT.wireName())
        || !identity.organisation().equals(patientOf.get()))) {
      return fail(Rejection.Code.OTHER_ORGANISATION, "'" + identity.identityId() + "' is the pseudonym of a patient"
          + " of " + patientOf.get() + ": only that patient's identity may carry it");
    }
    return ok();
  }

  private static Optional<Rejection> checkConsortiumEnrolment(TxBody.ConsortiumEnrolled enrolment, LedgerView view) {
    Optional<Rejection> fresh = checkNewIdentity(enrolment.identity(), view);
    if (fresh.isPresent()) {
      return fresh;
    }
    Set<String> memberOrganisations = memberOrganisations(view);
    byte[] message = TxBody.ConsortiumEnrolled.approvalMessage(view.consortium().consortium(), enrolment.identity());
    Set<String> approving = new HashSet<>();
    for (TxBody.Approval approval : enrolment.approvals()) {
      Optional<TxBody.Identity> admin = view.identity(approval.adminId());
      if (admin.isEmpty() || !admin.get().role().equals(Role.HOSPITAL_ADMIN.wireName())
          || !memberOrganisations.contains(admin.get().organisation())) {
        return fail(Rejection.Code.QUORUM_NOT_MET, "'" + approval.adminId() + "' is not an admin of a member"
            + " organisation of the consortium");
      }
      if (!MlDsa65.verify(admin.get().signingKey(), message, approval.signature())) {
        return fail(Rejection.Code.BAD_SIGNATURE, "the approval of '" + approval.adminId() + "' does not verify");
      }
      approving.add(admin.get().organisation());
    }
    int quorum = quorum(memberOrganisations.size());
    if (approving.size() < quorum) {
      return fail(Rejection.Code.QUORUM_NOT_MET, "approved by admins of " + approving.size() + " member"
          + " organisation(s); the consortium's quorum is " + quorum + " of " + memberOrganisations.size());
    }
    return ok();
  }

  private static Optional<Rejection> checkPatient(String pseudonym, String organisation, LedgerView view) {
    if (view.hasPatient(pseudonym)) {
      return fail(Rejection.Code.ALREADY_EXISTS, "patient '" + pseudonym + "' is already enrolled");
    }
    Optional<TxBody.Identity> named = view.identity(pseudonym);
    if (named.isPresent() && (!named.get().role().equals(Role.PATIENT.wireName())
        || !named.get().organisation().equals(organisation))) {
      return fail(Rejection.Code.OTHER_ORGANISATION, "'" + pseudonym + "' is an identity of "
          + named.get().organisation() + " with the role " + named.get().role() + ", not a patient of " + organisation);
    }
    return ok();
  }

  private static Optional<Rejection> checkVerdicts(TxBody.IdentityVerified verified, LedgerView view) {
    if (!view.hasPatient(verified.pseudonym())) {
      return fail(Rejection.Code.NOT_FOUND, "patient '" + verified.pseudonym() + "' is not enrolled");
    }
    List<TxBody.Member> verifiers = view.consortium().members().stream()
        .filter(m -> m.roles().contains("verifier")).toList();
    byte[] message = TxBody.IdentityVerified.verdictMessage(view.consortium().consortium(), verified.pseudonym(),
        verified.sessionId(), verified.transcriptHash());
    Set<String> signed = new HashSet<>();
    for (TxBody.Verdict verdict : verified.verdicts()) {
      Optional<TxBody.Member> node = verifiers.stream().filter(m -> m.nodeId().equals(verdict.nodeId())).findFirst();
      if (node.isEmpty()) {
        return fail(Rejection.Code.VERDICTS_REQUIRED, "'" + verdict.nodeId() + "' is not a verifier of the consortium");
      }
      if (!signed.add(verdict.nodeId())) {
        return fail(Rejection.Code.VERDICTS_REQUIRED, "verifier '" + verdict.nodeId() + "' is counted twice");
      }
      if (!MlDsa65.verify(node.get().publicKey(), message, verdict.signature())) {
        return fail(Rejection.Code.BAD_SIGNATURE, "the verdict of '" + verdict.nodeId() + "' does not verify");
      }
    }
    int quorum = quorum(verifiers.size());
    if (signed.size() < quorum) {
      return fail(Rejection.Code.VERDICTS_REQUIRED, signed.size() + " verdict(s); a majority of the "
          + verifiers.size() + " verifiers (" + quorum + ") must sign");
    }
    return ok();
  }

  /** A strict majority of {@code of}. */
  static int quorum(int of) {
    return of / 2 + 1;
  }

  static Set<String> memberOrganisations(LedgerView view) {
    Set<String> organisations = new HashSet<>();
    view.consortium().members().forEach(m -> organisations.add(m.organisation()));
    return organisations;
  }

  @Override
  public void apply(Transaction tx, TxBody.Identity submitter, LedgerView view) {
    TxBody body = tx.body();
    if (body instanceof TxBody.IdentityEnrolled e) {
      view.addIdentity(e.identity());
    } else if (body instanceof TxBody.ConsortiumEnrolled c) {
      view.addIdentity(c.identity());
    } else if (body instanceof TxBody.PatientEnrolled p) {
      view.addPatient(p.pseudonym(), submitter.organisation());
    }
  }
}
