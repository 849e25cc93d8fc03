package dev.anvil.gateway.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.testing.SharedFixtures;
import dev.anvil.gateway.testing.PackagedGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged gateway serving HTTPS with a self-signed certificate made at test time (the JDK's keytool), through
 * the TLS registry's keys as docs/gateway-api.md shows them, with plain HTTP turned off: /v1 answers over HTTPS to a
 * client that trusts that certificate, and the plain port is not open.
 */
class HttpsIT {
    static final String ADMIN_KEY = "it-admin-" + UUID.randomUUID();
    static final String PASSWORD = "it-" + UUID.randomUUID();

    static Process gateway;
    static String https;
    static int plainPort;
    static HttpClient client;

    @BeforeAll
    static void gatewayWithACertificate() throws Exception {
        Path dataDir = PackagedGateway.dataDir("tls-data-");
        Path keyStore = dataDir.resolve("gateway.p12");
        Path certificate = dataDir.resolve("gateway.crt");
        keytool("-genkeypair", "-alias", "gateway", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "gateway", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        client = HttpClient.newBuilder().sslContext(trusting(certificate)).connectTimeout(Duration.ofSeconds(5))
                .build();

        int sslPort = PackagedGateway.freePort();
        plainPort = PackagedGateway.freePort();
        Path log = dataDir.resolve("gateway.log");
        gateway = PackagedGateway.start(Map.of(
                "quarkus.http.port", String.valueOf(plainPort),
                "quarkus.http.ssl-port", String.valueOf(sslPort),
                "quarkus.tls.key-store.p12.path", keyStore.toString(),
                "quarkus.http.insecure-requests", "disabled",
                "anvil.data-dir", dataDir.toString(),
                "anvil.gateway.base-models", SharedFixtures.MODEL,
                "kafka.bootstrap.servers", InProcessKafka.bootstrapServers()),
                // The key store's password as a Secret would hand it over: in the environment.
                Map.of("ANVIL_GATEWAY_ADMIN_KEY", ADMIN_KEY, "QUARKUS_TLS_KEY_STORE_P12_PASSWORD", PASSWORD), log);
        https = "https://localhost:" + sslPort;
        PackagedGateway.awaitReady(gateway, log, () -> get("/q/health/ready", null).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.destroy();
    }

    @Test
    void theApiAnswersOverHttpsAndPlainHttpIsClosed() throws Exception {
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(https + "/admin/keys"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"tls\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        ObjectMapper json = new ObjectMapper();
        String key = json.readTree(created.body()).get("key").asText();

        HttpResponse<String> models = get("/v1/models", key);
        assertEquals(200, models.statusCode(), models.body());
        JsonNode data = json.readTree(models.body()).get("data");
        assertTrue(data.findValuesAsText("id").contains(SharedFixtures.MODEL), models.body());

        HttpRequest plain = HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort + "/v1/models"))
                .header("Authorization", "Bearer " + key).build();
        assertThrows(ConnectException.class, () -> HttpClient.newHttpClient().send(plain,
                HttpResponse.BodyHandlers.ofString()), "insecure-requests=disabled: no plain HTTP port");
    }

    private static HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(https + path)).timeout(Duration.ofSeconds(10));
        if (key != null) request.header("Authorization", "Bearer " + key);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** TLS that trusts the one certificate (and checks the host name against it, as any client does). */
    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + output);
    }
}
