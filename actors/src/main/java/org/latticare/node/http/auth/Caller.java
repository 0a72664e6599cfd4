package org.latticare.node.http.auth;

import org.latticare.ledger.tx.Role;

/** Who sent a request, as its signature proved: an identity enrolled on chain, with its role and organisation. */
public record Caller(String identityId, Role role, String organisation) {}
