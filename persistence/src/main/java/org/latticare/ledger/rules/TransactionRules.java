package org.latticare.ledger.rules;

import static org.latticare.ledger.rules.ContractRules.fail;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.Role;
import org.latticare.ledger.tx.TxBody;
import org.latticare.ledger.tx.TxType;

/**
 * The ledger's rules for one transaction, apart from its signature. First what every transaction
 * shares: the submitter is enrolled and its role may submit the type, the nonce is fresh, and the
 * timestamp lies within {@link #MAX_AGE_MILLIS} before and {@link #MAX_AHEAD_MILLIS} after the block's
 * time; then the rules of the contract that governs the type ({@link IdentityRules},
 * {@link AccessRules}, {@link StudyRules}). Every replica enforces them on every block; each refusal is
 * a {@link Rejection} with a stable code.
 */
public final class TransactionRules {

  /** How long a signed transaction stays admissible: covers queueing, retries and a producer's fail-over. */
  public static final long MAX_AGE_MILLIS = 10 * 60_000L;
  /** How far a submitter's clock may run ahead of the producer's. */
  public static final long MAX_AHEAD_MILLIS = 2 * 60_000L;

  private static final Map<TxType.Contract, ContractRules> CONTRACTS = new EnumMap<>(Map.of(
      TxType.Contract.IDENTITY, new IdentityRules(),
      TxType.Contract.ACCESS, new AccessRules(),
      TxType.Contract.STUDY, new StudyRules()));

  private TransactionRules() {}

  /** Why {@code tx} cannot go into a block timestamped {@code timeMillis} on top of {@code view}, or empty. */
  public static Optional<Rejection> check(Transaction tx, LedgerView view, long timeMillis) {
    if (tx.body() instanceof TxBody.ConsortiumFounded) {
      return fail(Rejection.Code.GENESIS_ONLY, "a consortium is founded only in the genesis block");
    }
    Optional<TxBody.Identity> submitter = view.identity(tx.submitter());
    if (submitter.isEmpty()) {
      return fail(Rejection.Code.UNKNOWN_SUBMITTER, "submitter '" + tx.submitter() + "' is not an enrolled identity");
    }
    Role role = Role.of(submitter.get().role());
    if (!tx.type().maySubmit(role.wireName())) {
      return fail(Rejection.Code.ROLE_NOT_ALLOWED, "a " + role + " may not submit " + tx.type());
    }
    if (view.nonceUsed(tx.submitter(), tx.nonce())) {
      return fail(Rejection.Code.NONCE_REPLAYED, "nonce " + tx.nonce() + " of '" + tx.submitter()
          + "' was already used (replay)");
    }
    long age = timeMillis - tx.timestampMillis();
    if (tx.timestampMillis() <= 0 || age > MAX_AGE_MILLIS || -age > MAX_AHEAD_MILLIS) {
      return fail(Rejection.Code.BAD_TIMESTAMP, "timestamp " + tx.timestampMillis() + " is not within "
          + MAX_AGE_MILLIS / 1000 + " s before or " + MAX_AHEAD_MILLIS / 1000 + " s after the block's time " + timeMillis);
    }
    return CONTRACTS.get(tx.type().contract()).check(tx, submitter.get(), role, view, timeMillis);
  }

  /** Records what {@code tx} adds; call only after {@link #check} accepted it (or for genesis). */
  public static void apply(Transaction tx, LedgerView view) {
    if (tx.body() instanceof TxBody.ConsortiumFounded founded) {
      founded.identities().forEach(view::addIdentity);
      return;
    }
    TxBody.Identity submitter = view.identity(tx.submitter()).orElseThrow(
        () -> new IllegalStateException("apply before check: '" + tx.submitter() + "' is not enrolled"));
    CONTRACTS.get(tx.type().contract()).apply(tx, submitter, view);
    view.useNonce(tx.submitter(), tx.nonce());
  }
}
