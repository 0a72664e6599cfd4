package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.handleExceptions;
import static akka.http.javadsl.server.Directives.handleRejections;
import static akka.http.javadsl.server.Directives.reject;
import static akka.http.javadsl.server.Directives.withSizeLimit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBuilder;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.settings.ServerSettings;
import org.latticare.cluster.tls.NodeTls;
import org.latticare.cluster.tls.TlsSettings;
import org.latticare.node.CryptoPool;
import org.latticare.node.LatticareNode.NodeRefs;
import org.latticare.node.NodeSettings;
import org.latticare.node.http.auth.Authenticator;
import org.latticare.node.http.auth.LoginNonces;
import org.latticare.node.http.auth.NonceCache;
import org.latticare.node.http.auth.SignedRequests;
import org.latticare.node.identity.IdentitySettings;

/**
 * The JSON API, served by Akka HTTP on nodes with the role {@code front}: one routes class per
 * resource, composed here. {@code /health}, {@code GET /api/openapi.json} and the login with a
 * non-interactive proof ({@link LoginRoutes}, whose proof is its credential) are open, and so are
 * the views an operator lists in {@code latticare.http.open-endpoints} (only those in
 * {@link #OPENABLE}); every other route is built inside {@link Authenticator#authenticated}, with the
 * proven caller (a signature, or for the patient's own views an identity token).
 *
 * <p>Requests and answers are records read and written by {@link ApiJson}; every error is an
 * {@link ApiError} made by {@link ApiErrors}. Refused input changes nothing. A transaction is
 * acknowledged (201) only once a majority of replicas has persisted its block.
 */
public final class HttpFront {

  private final NodeRefs node;
  private final Authenticator authenticator;
  private final ActorSystem<?> system;
  private final HealthRoutes health;
  private final OpenApiRoutes openApi;
  private final ClusterRoutes cluster;
  private final ChainRoutes chain;
  private final TransactionRoutes transactions;
  private final PatientRoutes patients;
  private final RecordRoutes records;
  private final IdentityRoutes identities;
  private final OrganisationRoutes organisations;
  private final FhirRoutes fhir;
  private final RingRoutes ring;
  private final ProofRoutes proofs;
  private final LoginRoutes login;
  private final List<Endpoint> opened;

  /** What every front serves without a signature: its health, the API's description and the login by proof. */
  public static final List<Endpoint> OPEN = Stream.of(HealthRoutes.ENDPOINTS, OpenApiRoutes.ENDPOINTS,
      LoginRoutes.ENDPOINTS).flatMap(List::stream).toList();

  /** The views that answer the same whoever asks, and so may be opened: never a patient's views nor a submission. */
  public static final List<Endpoint> OPENABLE = Stream.of(ClusterRoutes.ENDPOINTS, ChainRoutes.ENDPOINTS,
      List.of(TransactionRoutes.LOOKUP)).flatMap(List::stream).toList();

  /** The endpoints named in {@code latticare.http.open-endpoints}; anything but an {@link #OPENABLE} one is refused. */
  static List<Endpoint> opened(List<String> configured) {
    List<Endpoint> opened = new ArrayList<>();
    for (String text : configured) {
      Optional<Endpoint> endpoint = OPENABLE.stream().filter(e -> text.equals(e.method() + " " + e.path())).findFirst();
      opened.add(endpoint.orElseThrow(() -> new IllegalArgumentException("latticare.http.open-endpoints may name only "
          + OPENABLE.stream().map(e -> e.method() + " " + e.path()).toList() + ", not '" + text + "'")));
    }
    return List.copyOf(opened);
  }

  public HttpFront(ActorSystem<?> system, NodeRefs node, Authenticator authenticator) {
    NodeAsks asks = new NodeAsks(system, node);
    this.system = system;
    this.node = node;
    this.authenticator = authenticator;
    this.health = new HealthRoutes(asks);
    this.openApi = new OpenApiRoutes();
    this.cluster = new ClusterRoutes(asks);
    this.chain = new ChainRoutes(asks);
    this.transactions = new TransactionRoutes(asks);
    this.patients = new PatientRoutes(asks);
    this.records = new RecordRoutes(asks);
    this.identities = new IdentityRoutes(asks);
    this.organisations = new OrganisationRoutes(asks);
    this.fhir = new FhirRoutes(asks);
    this.ring = new RingRoutes(asks);
    IdentitySettings identity = IdentitySettings.from(system.settings().config());
    this.proofs = new ProofRoutes(asks, identity.gateway().maxPollWait());
    this.login = new LoginRoutes(asks, new LoginNonces(identity.loginNonceTtl(), identity.maxLoginNonces(),
        Clock.systemUTC()), node.proofKeys(),
        CryptoPool.shared());
    this.opened = opened(node.settings().openEndpoints());
  }

  /**
   * Binds the API behind signed requests ({@link SignedRequests}): keys come from this node's replica,
   * signatures and identity tokens are verified on the crypto pool; fails with a clear message when the
   * port is taken.
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, NodeRefs node, String iface, int port) {
    NodeSettings settings = node.settings();
    return bind(system, node, iface, port, new SignedRequests(
        new IdentityDirectory(system, node.replica(), settings.askTimeout()), CryptoPool.shared(),
        new NonceCache(settings.signatureWindow(), settings.maxNonces()), settings.maxBodyBytes(),
        Clock.systemUTC(), node.tokens()));
  }

  /**
   * Binds the API behind {@code authenticator}, over HTTPS when {@code latticare.http.tls.enabled}; fails with a clear
   * message when the port is taken.
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, NodeRefs node, String iface, int port,
      Authenticator authenticator) {
    ServerSettings settings = ServerSettings.create(Adapter.toClassic(system))
        .withParsingErrorHandler(ParsingErrorsAsJson.class.getName());
    ServerBuilder server = Http.get(system).newServerAt(iface, port).withSettings(settings);
    TlsSettings tls = TlsSettings.from(system.settings().config());
    if (tls.https().isPresent()) {
      // HTTP/1.1 over TLS only: HTTP/2 stays off (akka.http.server.preview.enable-http2), see AKKA-NOTES
      server = server.enableHttps(ConnectionContext.httpsServer(NodeTls.httpsContext(tls)));
    }
    return server
        .bind(new HttpFront(system, node, authenticator).routes())
        .exceptionally(failure -> {
          throw new IllegalStateException("cannot serve HTTP" + (tls.https().isPresent() ? "S" : "") + " on " + iface + ":" + port + " ("
              + ApiErrors.rootCause(failure).getMessage() + "); is another node or program using the port? Use --port.",
              failure);
        });
  }

  /** Every endpoint the front serves, as its routes classes declare them. */
  public static List<Endpoint> endpoints() {
    return Stream.of(HealthRoutes.ENDPOINTS, OpenApiRoutes.ENDPOINTS, ClusterRoutes.ENDPOINTS, ChainRoutes.ENDPOINTS,
        TransactionRoutes.ENDPOINTS, PatientRoutes.ENDPOINTS, RecordRoutes.ENDPOINTS, IdentityRoutes.ENDPOINTS,
        OrganisationRoutes.ENDPOINTS, FhirRoutes.ENDPOINTS, RingRoutes.ENDPOINTS, ProofRoutes.ENDPOINTS,
        LoginRoutes.ENDPOINTS)
        .flatMap(List::stream).toList();
  }

  /** The whole API: errors as {@link ApiError}s, bodies limited to {@code latticare.http.max-body}. */
  public Route routes() {
    return handleExceptions(ApiErrors.exceptionHandler(system.log()), () ->
        handleRejections(ApiErrors.rejectionHandler(), () ->
            withSizeLimit(node.settings().maxBodyBytes(), this::resources)));
  }

  /** The resources without error handling: what the routing itself accepts or rejects. */
  Route resources() {
    return concat(
        health.routes(),
        openApi.routes(),
        login.routes(),
        openedRoutes(),
        authenticator.authenticated(caller -> concat(
            cluster.routes(),
            chain.routes(),
            transactions.routes(caller),
            patients.routes(caller),
            records.routes(caller),
            identities.routes(),
            organisations.routes(caller),
            fhir.routes(caller),
            ring.routes(caller),
            proofs.routes(caller))));
  }

  /** The views the configuration opens, served to an unsigned request for exactly one of them; nothing else. */
  private Route openedRoutes() {
    if (opened.isEmpty()) {
      return reject();
    }
    return extractRequest(request -> opened.stream().anyMatch(e -> e.matches(request.method().value(),
            request.getUri().path()))
        ? concat(cluster.routes(), chain.routes(), transactions.lookupRoute())
        : reject());
  }
}
